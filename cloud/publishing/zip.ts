// Reading and writing package zips in memory (yauzl, yazl), with the limits checked while reading:
// entry count, declared and actual sizes (a zip bomb stops at the limit), symlinks, unsafe paths.
import yauzl from 'yauzl';
import yazl from 'yazl';
import { isSafePackagePath, PACKAGE_LIMITS } from '../../shared/cloud/index.ts';

export class PackageProblem extends Error {
  override name = 'PackageProblem';
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function openZip(zip: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true, decodeStrings: true }, (error, file) =>
      error || !file ? reject(new PackageProblem(`The file is not a readable zip archive (${error?.message ?? 'no entries'}).`)) : resolve(file),
    ),
  );
}

function readEntry(file: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    file.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(new PackageProblem(`${entry.fileName} cannot be read: ${error?.message ?? 'no data'}.`));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          stream.destroy();
          reject(new PackageProblem(`${entry.fileName} is larger than ${limit} bytes.`));
        } else chunks.push(chunk);
      });
      stream.on('error', (streamError: Error) => reject(new PackageProblem(`${entry.fileName} is damaged: ${streamError.message}.`)));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/**
 * Every file of a zip, by path, after checking paths, kinds and sizes. Directories are skipped;
 * anything else that is not a plain file (a symlink) is refused, as is a name used twice in any case.
 */
export async function readPackageZip(zip: Buffer): Promise<Map<string, Buffer>> {
  if (zip.length > PACKAGE_LIMITS.maxPackageBytes) throw new PackageProblem(`The package is larger than ${PACKAGE_LIMITS.maxPackageBytes} bytes.`);
  let file: yauzl.ZipFile;
  try {
    file = await openZip(zip);
  } catch (error) {
    throw error instanceof PackageProblem ? error : new PackageProblem('The file is not a readable zip archive.');
  }
  if (file.entryCount > PACKAGE_LIMITS.maxFiles) {
    file.close();
    throw new PackageProblem(`The package has ${file.entryCount} entries; at most ${PACKAGE_LIMITS.maxFiles} are allowed.`);
  }
  const files = new Map<string, Buffer>();
  const seen = new Set<string>();
  let total = 0;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      file.close();
      const message = (error as Error).message ?? String(error);
      if (error instanceof PackageProblem) reject(error);
      else if (/invalid (relative )?path|absolute path|invalid characters/i.test(message)) reject(new PackageProblem(`A path in the package is not allowed (${message}).`));
      else reject(new PackageProblem(`The zip archive is damaged: ${message}.`));
    };
    file.on('error', fail);
    file.on('end', () => resolve(files));
    file.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const name = entry.fileName;
        const isDirectory = name.endsWith('/');
        const path = isDirectory ? name.slice(0, -1) : name;
        if (!isSafePackagePath(path)) throw new PackageProblem(`The path "${name}" is not allowed in a package (absolute, "..", "\\" or a reserved name).`);
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        if (mode === S_IFLNK) throw new PackageProblem(`${name} is a symbolic link; packages hold plain files only.`);
        if (entry.isEncrypted()) throw new PackageProblem(`${name} is encrypted; packages are not.`);
        const folded = path.toLowerCase();
        if (seen.has(folded)) throw new PackageProblem(`${path} appears twice in the package (names differing only in case count as the same on Windows).`);
        seen.add(folded);
        if (!isDirectory) {
          if (entry.uncompressedSize > PACKAGE_LIMITS.maxFileBytes) throw new PackageProblem(`${path} is larger than ${PACKAGE_LIMITS.maxFileBytes} bytes.`);
          total += entry.uncompressedSize;
          if (total > PACKAGE_LIMITS.maxTotalBytes) throw new PackageProblem(`The package unpacks to more than ${PACKAGE_LIMITS.maxTotalBytes} bytes.`);
          files.set(path, await readEntry(file, entry, PACKAGE_LIMITS.maxFileBytes));
        }
        file.readEntry();
      })().catch(fail);
    });
    file.readEntry();
  });
}

/** A zip of these files, in path order, with fixed times: the same files always make the same bytes. */
export function writePackageZip(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2020, 0, 1));
  for (const path of [...files.keys()].sort()) zip.addBuffer(files.get(path)!, path, { mtime, mode: 0o100644, compress: !/\.(png|jpe?g)$/i.test(path) });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
