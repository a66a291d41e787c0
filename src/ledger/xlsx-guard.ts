import { createInflateRaw } from 'node:zlib';
import { DomainError } from '../common/errors/domain-error';

/**
 * Limits a workbook must keep before exceljs reads it whole into memory. A
 * 0.39 MB .xlsx that inflated to 400 MB took the service to 3.2 GB; a sheet
 * of a million rows or a megabyte-long cell does the same more slowly. The
 * archive is checked first, entry by entry and streamed, so a hostile file
 * costs at most a few buffers of memory and is refused before exceljs sees
 * it. Every limit is well above a real ledger: 10,000 rows (the import's own
 * row limit) unzip to 5.5 MB in about a dozen entries.
 */
export const XLSX_LIMITS = {
  /** Files in the archive (a workbook has a few dozen). */
  entries: 1000,
  /** All entries together once unzipped, as declared and as actually inflated (a 10,000-row ledger: 5.5 MB). */
  unzippedBytes: 50 * 1024 * 1024,
  /** `<row>` elements in one worksheet, blank formatted rows included: twice the import's 10,000-row limit. */
  sheetRows: 20_000,
  /**
   * Cells (`<c>`) in all worksheets together: exceljs holds about 600 bytes a
   * cell. A 10,000-row ledger has 100,000 (120,000 as the export writes it),
   * and exceljs reads it in about 75 MB.
   */
  sheetCells: 150_000,
  /** XML elements in the whole workbook (cells, values, shared strings, styles…): a 10,000-row ledger has 250,000–270,000. */
  xmlElements: 600_000,
  /** Bytes of text (or of one tag) between two `<`: a cell of Excel's maximum 32,767 characters fits. */
  textBytes: 128 * 1024,
} as const;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  dataStart: number;
}

function tooLarge(why: string): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `台账文件过大：${why}`, [{ field: 'file', message: why }]);
}

function unreadable(why: string): DomainError {
  return new DomainError('UNPROCESSABLE', `无法读取该 .xlsx 文件：${why}`, [{ field: 'file', message: why }]);
}

/** The entries as the central directory lists them (what JSZip, under exceljs, reads too). */
function centralDirectory(data: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw unreadable('文件不完整（找不到 ZIP 目录）');
  const count = data.readUInt16LE(eocd + 10);
  const offset = data.readUInt32LE(eocd + 16);
  if (data.readUInt16LE(eocd + 4) !== 0 || data.readUInt16LE(eocd + 8) !== count) throw unreadable('不支持分卷压缩的文件');
  if (count === 0xffff || offset === 0xffffffff) throw unreadable('不支持 ZIP64 格式的文件');
  if (count > XLSX_LIMITS.entries) throw unreadable(`工作簿包含 ${count} 个文件，超过上限 ${XLSX_LIMITS.entries} 个`);

  const entries: ZipEntry[] = [];
  let declared = 0;
  for (let i = 0, p = offset; i < count; i++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw unreadable('ZIP 目录已损坏');
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    const compressedSize = data.readUInt32LE(p + 20);
    const size = data.readUInt32LE(p + 24);
    const nameLength = data.readUInt16LE(p + 28);
    const next = p + 46 + nameLength + data.readUInt16LE(p + 30) + data.readUInt16LE(p + 32);
    const local = data.readUInt32LE(p + 42);
    // Named in messages only: control characters and length kept out of the answer.
    const name = data
      .toString('utf8', p + 46, p + 46 + nameLength)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\ufffd]/g, '?')
      .slice(0, 100);
    if (flags & 1) throw unreadable('文件已加密，请取消密码保护后再导入');
    if (method !== STORED && method !== DEFLATED) throw unreadable(`不支持的压缩方式（${method}）`);
    if (compressedSize === 0xffffffff || size === 0xffffffff) throw unreadable('不支持 ZIP64 格式的文件');
    declared += size;
    if (declared > XLSX_LIMITS.unzippedBytes) throw tooLarge(`解压后超过 ${XLSX_LIMITS.unzippedBytes / 1024 / 1024} MB`);
    if (local + 30 > data.length || data.readUInt32LE(local) !== LOCAL_SIGNATURE) throw unreadable('ZIP 文件已损坏');
    const dataStart = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (dataStart + compressedSize > data.length) throw unreadable('ZIP 文件已损坏');
    entries.push({ name, method, compressedSize, size, dataStart });
    p = next;
  }
  return entries;
}

const ROW_OR_ELEMENT = /<(?:[A-Za-z_][\w.-]{0,15}:)?(row|[A-Za-z_])/g;
/** Longer than a match of ROW_OR_ELEMENT plus the character after it: matches are counted only once they cannot continue into the next chunk. */
const CARRY = 24;

/**
 * Counts, over an XML entry streamed in chunks, its `<row>` and `<c>`
 * elements, all its elements, and the longest run of bytes between two `<`
 * (text or one tag). Bytes are read as latin1: every byte that matters here
 * is ASCII.
 */
class XmlCounter {
  rows = 0;
  cells = 0;
  elements = 0;
  longestRun = 0;
  private run = 0;
  private carry = '';

  write(chunk: Buffer): void {
    const text = chunk.toString('latin1');
    let from = 0;
    for (let lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
      this.run += lt - from;
      this.longestRun = Math.max(this.longestRun, this.run);
      this.run = 0;
      from = lt + 1;
    }
    this.run += text.length - from;
    this.longestRun = Math.max(this.longestRun, this.run);

    const s = this.carry + text;
    this.count(s, s.length - CARRY);
    this.carry = s.slice(Math.max(0, s.length - CARRY));
  }

  end(): void {
    this.count(this.carry, this.carry.length);
    this.carry = '';
  }

  private count(s: string, before: number): void {
    ROW_OR_ELEMENT.lastIndex = 0;
    for (let m = ROW_OR_ELEMENT.exec(s); m && m.index < before; m = ROW_OR_ELEMENT.exec(s)) {
      this.elements++;
      // `row` and `c` as whole names: not <rowBreaks>, not <col> (whose first letter the pattern also takes).
      if ((m[1] === 'row' || m[1] === 'c') && /[\s>/]/.test(s[m.index + m[0].length] ?? ' ')) {
        if (m[1] === 'row') this.rows++;
        else this.cells++;
      }
    }
  }
}

const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/i;
const XML = /\.(xml|rels|vml)$/i;

/** Inflates one entry as a stream, refusing it as soon as it outgrows what its directory entry declared. */
async function inflateChecked(data: Buffer, entry: ZipEntry, onChunk: (chunk: Buffer) => void): Promise<void> {
  const compressed = data.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  if (entry.method === STORED) {
    if (entry.compressedSize !== entry.size) throw unreadable(`${entry.name} 的大小与目录不符`);
    for (let i = 0; i < compressed.length; i += 64 * 1024) onChunk(compressed.subarray(i, i + 64 * 1024));
    return;
  }
  const inflate = createInflateRaw();
  inflate.end(compressed);
  let inflated = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      // A zip bomb declares a small size and inflates far beyond it: stop at the first byte too many.
      if (inflated > entry.size) throw tooLarge(`${entry.name} 解压后的实际大小超过文件声明的大小`);
      onChunk(chunk);
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw unreadable(`${entry.name} 无法解压`);
  } finally {
    inflate.destroy();
  }
  if (inflated !== entry.size) throw unreadable(`${entry.name} 的大小与目录不符`);
}

/**
 * Refuses a workbook that would cost more to read than a real ledger:
 * 413 for what is too large once unzipped (declared or actual), 422 for
 * what cannot be a ledger we can read (too many entries, rows, cells or elements,
 * a cell beyond Excel's own limit, a damaged, encrypted or ZIP64 archive).
 * Streams every entry; keeps none of it.
 */
export async function checkXlsxArchive(data: Buffer): Promise<void> {
  let elements = 0;
  let cells = 0;
  for (const entry of centralDirectory(data)) {
    const xml = XML.test(entry.name) ? new XmlCounter() : null;
    const sheet = WORKSHEET.test(entry.name);
    const check = (): void => {
      if (!xml) return;
      if (xml.longestRun > XLSX_LIMITS.textBytes)
        throw unreadable(`${entry.name} 中有超过 ${XLSX_LIMITS.textBytes / 1024} KB 的单元格或标记（Excel 单元格最多 32767 个字符）`);
      if (sheet && xml.rows > XLSX_LIMITS.sheetRows) {
        throw unreadable(`工作表（${entry.name}）超过 ${XLSX_LIMITS.sheetRows} 行；单次最多导入 10000 行，请分成几个文件导入`);
      }
      if (sheet && cells + xml.cells > XLSX_LIMITS.sheetCells) {
        throw unreadable(`工作簿的单元格超过 ${XLSX_LIMITS.sheetCells} 个；请删去多余的列，或分成几个文件导入`);
      }
      if (elements + xml.elements > XLSX_LIMITS.xmlElements) throw unreadable(`工作簿的内容过多（超过 ${XLSX_LIMITS.xmlElements} 个 XML 元素）`);
    };
    await inflateChecked(data, entry, (chunk) => {
      xml?.write(chunk);
      check();
    });
    xml?.end();
    check();
    elements += xml?.elements ?? 0;
    cells += xml?.cells ?? 0;
  }
}
