import { describe, expect, it } from 'vitest';
import { PointSchema } from '../../../shared/index.ts';
import { decodeCsvBytes, pointsToRows, readTable, rowsToPoints, writeTable } from './index.ts';

const csv = (text: string) => readTable(Buffer.from(text, 'utf8'), 'csv');
const read = async (text: string, locale: 'en' | 'zh-CN' = 'en', addressStyle: 'modicon' | 'oneBased' | 'zeroBased' = 'modicon') =>
  rowsToPoints(await csv(text), { deviceId: 'meter1', addressStyle, locale });

describe('register map files', () => {
  it('reads a map as a manual writes it, with defaults for what it leaves out', async () => {
    const result = await read('Name,Address,Type,Word order,Unit,Scale\nVoltage L1,40001,float,CDAB,V,1\nStatus,40010,word,,,\nRun,00001,bool,,,\n');
    expect(result.problems).toEqual([]);
    expect(result.points.map(({ name, function: fn, address, dataType, wordOrder }) => [name, fn, address, dataType, wordOrder])).toEqual([
      ['Voltage L1', 'holding', 0, 'float32', 'CDAB'],
      ['Status', 'holding', 9, 'uint16', 'ABCD'],
      ['Run', 'coil', 0, 'bool', 'ABCD'],
    ]);
    expect(result.points[0]).toMatchObject({ id: 'meter1.voltageL1', unit: 'V', scanMs: 1000, writable: false });
  });

  it('takes Chinese headers and words', async () => {
    const result = await read('名称,地址,功能码,数据类型,字节序,单位,读写\nA 相电压,0x2006,保持寄存器,浮点,低字在前,V,只读\n', 'zh-CN', 'zeroBased');
    expect(result.problems).toEqual([]);
    expect(result.points[0]).toMatchObject({ name: 'A 相电压', function: 'holding', address: 0x2006, dataType: 'float32', wordOrder: 'CDAB', writable: false });
    expect(result.points[0]!.id).toBe('meter1.a');
  });

  it('reports every bad cell by row and column, in the user’s language, and keeps the good rows', async () => {
    const text = 'name,address,type,order,colour\nGood,40001,uint16,,red\nBad address,4000x,uint16,,\nBad type,40003,floatt,,\nBad order,40004,float32,XYZW,\nGood,40005,uint16,,\n';
    const english = await read(text);
    expect(english.points.map((point) => point.name)).toEqual(['Good']);
    expect(english.badRows).toEqual([3, 4, 5, 6]);
    const byRow = (row: number) => english.problems.filter((problem) => problem.row === row);
    expect(byRow(1)).toEqual([expect.objectContaining({ column: 'colour', severity: 'warning' })]);
    expect(byRow(3)[0]).toMatchObject({ column: 'address', severity: 'error' });
    expect(byRow(3)[0]!.message).toMatch(/4000x.*5- or 6-digit Modicon/);
    expect(byRow(4)[0]).toMatchObject({ column: 'type' });
    expect(byRow(4)[0]!.message).toMatch(/floatt.*use bool, bit, int16/);
    expect(byRow(5)[0]).toMatchObject({ column: 'order' });
    expect(byRow(6).map((problem) => problem.message)).toEqual([expect.stringMatching(/"Good" is used twice \(also in row 2\)/)]);

    const chinese = await read(text, 'zh-CN');
    const address = chinese.problems.find((problem) => problem.row === 3)!;
    expect(address.message).toMatch(/不是 5 位或 6 位的 Modicon 地址/);
    expect(address.message).not.toMatch(/[A-Za-z]{5,} [A-Za-z]{3,} [A-Za-z]{3,}/);
  });

  it('says what is missing from a file with no usable header', async () => {
    expect((await read('')).problems[0]!.message).toMatch(/no register map rows/);
    const missing = await read('name,unit\nVoltage,V\n');
    expect(missing.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/no "address" column/),
      expect.stringMatching(/no "data type" column/),
    ]);
  });

  it('reads a CSV saved by Chinese Excel (GBK) as well as UTF-8', async () => {
    const gbk = Buffer.from([0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0x61]); // "名称,a" in GBK
    expect(decodeCsvBytes(gbk)).toBe('名称,a');
    expect(decodeCsvBytes(Buffer.from('\uFEFF名称,a', 'utf8'))).toBe('名称,a');
  });

  it('writes CSV and Excel that read back to the same points, in every address style', async () => {
    const points = [
      PointSchema.parse({ id: 'meter1.v', deviceId: 'meter1', name: '电压', address: 8198, dataType: 'float32', wordOrder: 'CDAB', unit: 'V', scale: 0.1 }),
      PointSchema.parse({ id: 'meter1.run', deviceId: 'meter1', name: 'Run', function: 'coil', address: 3, dataType: 'bool', writable: true }),
      PointSchema.parse({ id: 'meter1.alarm', deviceId: 'meter1', name: 'Alarm bit', address: 10, dataType: 'bit', bit: 4, kind: 'state' }),
      PointSchema.parse({ id: 'meter1.kwh', deviceId: 'meter1', name: '正向有功电能', address: 0x4000, dataType: 'float32', wordOrder: 'CDAB', unit: 'kWh', kind: 'counter' }),
    ];
    for (const style of ['modicon', 'oneBased', 'zeroBased'] as const) {
      for (const format of ['csv', 'xlsx'] as const) {
        const bytes = await writeTable(pointsToRows(points, style), format);
        const back = rowsToPoints(await readTable(bytes, format), { deviceId: 'meter1', addressStyle: style, locale: 'en' });
        expect(back.problems, `${style} ${format}`).toEqual([]);
        expect(back.points, `${style} ${format}`).toEqual(points);
      }
    }
  });

  it('reads how each point is summed up from a kind column, in English or Chinese, any case', async () => {
    const english = await read('Name,Address,Type,Kind\nParts,40001,uint32,Counter\nState,40003,uint16,STATE\nTemp,40004,int16,analog\nSpeed,40005,uint16,\n');
    expect(english.problems).toEqual([]);
    expect(english.points.map((point) => [point.name, point.kind])).toEqual([
      ['Parts', 'counter'], ['State', 'state'], ['Temp', 'analog'], ['Speed', 'analog'],
    ]);
    const chinese = await read('名称,地址,数据类型,类别\n加工件数,40001,uint32,计数器\n运行状态,40003,uint16,状态\n主轴转速,40004,uint16,模拟量\n', 'zh-CN');
    expect(chinese.problems).toEqual([]);
    expect(chinese.points.map((point) => point.kind)).toEqual(['counter', 'state', 'analog']);
  });

  it('reads a kind column from a CSV saved by Chinese Excel (GBK)', async () => {
    // "名称,地址,数据类型,类别\nParts,40001,uint32,计数器" in GBK
    const gbk = Buffer.from([
      0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xb5, 0xd8, 0xd6, 0xb7, 0x2c, 0xca, 0xfd, 0xbe, 0xdd, 0xc0, 0xe0, 0xd0, 0xcd, 0x2c, 0xc0, 0xe0, 0xb1, 0xf0, 0x0a,
      ...Buffer.from('Parts,40001,uint32,', 'latin1'), 0xbc, 0xc6, 0xca, 0xfd, 0xc6, 0xf7, 0x0a,
    ]);
    const result = rowsToPoints(await readTable(gbk, 'csv'), { deviceId: 'meter1', addressStyle: 'modicon', locale: 'zh-CN' });
    expect(result.problems).toEqual([]);
    expect(result.points[0]).toMatchObject({ name: 'Parts', dataType: 'uint32', kind: 'counter' });
  });

  it('imports a file without a kind column as before, every point analog', async () => {
    const result = await read('name,address,data type,unit\nPart counter,40004,uint32,pcs\nRun,00001,bool,\n');
    expect(result.problems).toEqual([]);
    expect(result.points.map((point) => point.kind)).toEqual(['analog', 'analog']);
  });

  it('reports a kind it does not know by row and column, and keeps the other rows', async () => {
    const text = 'name,address,type,kind\nParts,40001,uint32,counter\nEnergy,40003,float32,totalizr\n';
    const english = await read(text);
    expect(english.points.map((point) => point.name)).toEqual(['Parts']);
    expect(english.badRows).toEqual([3]);
    expect(english.problems).toEqual([
      { row: 3, column: 'kind', severity: 'error', message: expect.stringMatching(/"totalizr" is not a valid kind: use analog, counter or state/) },
    ]);
    const chinese = await read('名称,地址,数据类型,类别\n电能,40003,float32,累积器\n', 'zh-CN');
    expect(chinese.problems).toEqual([
      { row: 2, column: '类别', severity: 'error', message: expect.stringMatching(/累积器.*请填 模拟量、计数器 或 状态/) },
    ]);
  });

  it('writes the kind column and reads it back, from CSV and Excel', async () => {
    const points = [
      PointSchema.parse({ id: 'cnc.parts', deviceId: 'cnc', name: 'Part counter', address: 3, dataType: 'uint32', kind: 'counter' }),
      PointSchema.parse({ id: 'cnc.state', deviceId: 'cnc', name: 'State', address: 0, dataType: 'uint16', kind: 'state' }),
      PointSchema.parse({ id: 'cnc.load', deviceId: 'cnc', name: 'Spindle load', address: 2, dataType: 'uint16', scale: 0.1 }),
    ];
    const rows = pointsToRows(points, 'modicon');
    const kindAt = rows[0]!.indexOf('kind');
    expect(kindAt).toBeGreaterThanOrEqual(0);
    expect(rows.slice(1).map((row) => row[kindAt])).toEqual(['counter', 'state', 'analog']);
    for (const format of ['csv', 'xlsx'] as const) {
      const back = rowsToPoints(await readTable(await writeTable(rows, format), format), { deviceId: 'cnc', addressStyle: 'modicon', locale: 'en' });
      expect(back.problems, format).toEqual([]);
      expect(back.points.map((point) => point.kind), format).toEqual(['counter', 'state', 'analog']);
    }
  });

  it('turns an unreadable Excel file into an error, not a crash', async () => {
    await expect(readTable(Buffer.from('not a zip'), 'xlsx')).rejects.toThrow();
  });
});
