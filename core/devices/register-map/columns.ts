// The columns of a register map file and the spellings technicians use for them (English and
// Chinese, as device manuals and Kepware/Modbus Poll exports write them), and the cell vocabularies.
import type { DataType, PointFunction, PointKind, WordOrder } from '../../../shared/index.ts';

export const COLUMNS = [
  'id', 'name', 'address', 'function', 'dataType', 'bit', 'length', 'wordOrder',
  'scale', 'offset', 'unit', 'description', 'deadband', 'scanMs', 'writable', 'kind',
] as const;
export type Column = (typeof COLUMNS)[number];

/** The header written on export, per column. */
export const EXPORT_HEADERS: Record<Column, string> = {
  id: 'id', name: 'name', address: 'address', function: 'function', dataType: 'data type', bit: 'bit',
  length: 'length', wordOrder: 'word order', scale: 'scale', offset: 'offset', unit: 'unit',
  description: 'description', deadband: 'deadband', scanMs: 'scan ms', writable: 'writable', kind: 'kind',
};

const HEADER_ALIASES: Record<Column, string[]> = {
  id: ['id', '标识', 'tag id'],
  name: ['name', 'tag', 'tag name', 'point', 'point name', '名称', '点名', '变量名', '数据点'],
  address: ['address', 'addr', 'register', 'register address', '地址', '寄存器地址', '寄存器'],
  function: ['function', 'area', 'fc', 'function code', 'register type', '功能码', '区域', '寄存器类型'],
  dataType: ['data type', 'datatype', 'type', '数据类型', '类型'],
  bit: ['bit', 'bit number', '位', '位号'],
  length: ['length', 'registers', 'string length', '长度', '寄存器数'],
  wordOrder: ['word order', 'byte order', 'order', 'endian', 'endianness', '字节序', '字序', '字节顺序'],
  scale: ['scale', 'multiplier', 'ratio', 'factor', '倍率', '系数', '比例'],
  offset: ['offset', '偏移', '偏移量'],
  unit: ['unit', 'units', 'eng unit', '单位'],
  description: ['description', 'comment', 'desc', '描述', '说明', '备注'],
  deadband: ['deadband', 'dead band', '死区'],
  scanMs: ['scan ms', 'scan', 'scan rate', 'scan rate ms', 'scan time', 'poll ms', '扫描周期', '采集周期', '扫描周期ms', '采集周期ms'],
  writable: ['writable', 'access', 'read/write', 'rw', 'r/w', '可写', '读写', '读写属性'],
  // Not "type" or 类型: those already name the data type.
  kind: ['kind', 'point kind', 'value kind', 'aggregation', 'history kind', '类别', '点类别', '种类', '数据种类', '统计方式', '汇总方式'],
};

const normalise = (text: string) => text.trim().toLowerCase().replace(/[\s_()（）]+/g, ' ').replace(/\s+/g, ' ').trim();

const HEADER_LOOKUP = new Map<string, Column>(
  COLUMNS.flatMap((column) => [column.toLowerCase(), ...HEADER_ALIASES[column]].map((alias) => [normalise(alias), column] as [string, Column])),
);

export function columnForHeader(header: string): Column | undefined {
  return HEADER_LOOKUP.get(normalise(header)) ?? HEADER_LOOKUP.get(normalise(header.replace(/\[.*\]|\(.*\)/g, '')));
}

const vocabulary = <T extends string>(entries: Record<T, string[]>) =>
  new Map<string, T>(Object.entries<string[]>(entries).flatMap(([value, aliases]) => aliases.map((alias) => [normalise(alias), value as T])));

export const FUNCTION_WORDS = vocabulary<PointFunction>({
  coil: ['coil', 'coils', '0', '0x', '0xxxx', 'fc1', '01', 'do', '线圈'],
  discrete: ['discrete', 'discrete input', 'discrete inputs', '1', '1x', '1xxxx', 'fc2', '02', 'di', '离散输入'],
  input: ['input', 'input register', 'input registers', 'ir', '3', '3x', '3xxxx', 'fc4', '04', '输入寄存器'],
  holding: ['holding', 'holding register', 'holding registers', 'hr', '4', '4x', '4xxxx', 'fc3', '03', '保持寄存器'],
});

export const DATA_TYPE_WORDS = vocabulary<DataType>({
  bool: ['bool', 'boolean', 'coil', '布尔'],
  bit: ['bit', '位'],
  int16: ['int16', 'int', 'short', 'signed', 'signed 16', '16-bit signed', 'i16'],
  uint16: ['uint16', 'uint', 'word', 'unsigned', 'unsigned 16', '16-bit unsigned', 'u16'],
  int32: ['int32', 'dint', 'long', 'signed 32', '32-bit signed', 'i32'],
  uint32: ['uint32', 'udint', 'dword', 'unsigned long', 'unsigned 32', '32-bit unsigned', 'u32'],
  float32: ['float32', 'float', 'real', 'single', '32-bit float', 'f32', '浮点', '浮点数'],
  int64: ['int64', 'lint', 'signed 64', 'i64'],
  uint64: ['uint64', 'ulint', 'qword', 'unsigned 64', 'u64'],
  float64: ['float64', 'double', 'lreal', '64-bit float', 'f64'],
  string: ['string', 'text', 'ascii', '字符串'],
});

export const WORD_ORDER_WORDS = vocabulary<WordOrder>({
  ABCD: ['abcd', '1234', 'big endian', 'big-endian', 'be', 'high word first', '高字在前'],
  CDAB: ['cdab', '3412', 'word swap', 'word swapped', 'little endian word', 'low word first', '低字在前', '字交换'],
  BADC: ['badc', '2143', 'byte swap', 'byte swapped', '字节交换'],
  DCBA: ['dcba', '4321', 'little endian', 'little-endian', 'le', '全反序'],
});

export const WRITABLE_WORDS = vocabulary<'yes' | 'no'>({
  yes: ['yes', 'y', 'true', '1', 'rw', 'r/w', 'read/write', 'w', 'write', '是', '读写', '可写'],
  no: ['no', 'n', 'false', '0', 'r', 'ro', 'read', 'read only', 'read-only', '否', '只读'],
});

/** How the historian sums a point up: a measurement, a counter (increase per period), a state (time in each). */
export const KIND_WORDS = vocabulary<PointKind>({
  analog: ['analog', 'analogue', 'measurement', 'measured', '模拟量', '测量值', '测量'],
  counter: ['counter', 'totalizer', 'totaliser', 'accumulator', '计数器', '计数', '累计量', '累计'],
  state: ['state', 'status', 'state code', '状态', '状态量', '状态码'],
});

export function lookup<T>(words: Map<string, T>, text: string): T | undefined {
  return words.get(normalise(text));
}
