/**
 * Parquet files: typed columns (INT32, DOUBLE, BOOLEAN, STRING; Snappy) written one row group
 * per block of rows and streamed in chunks, and read back into whole columns. What the columns
 * mean is the caller's (src/experiments/tables.ts lays out a sweep's tables).
 */
import { readFileSync } from 'node:fs';
import { parquetRead, parquetMetadata } from 'hyparquet';
import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';

export type ParquetType = 'INT32' | 'DOUBLE' | 'BOOLEAN' | 'STRING';

export interface ParquetColumn {
  name: string;
  type: ParquetType;
}

/** One column's values for a block of rows. */
export type Column = Int32Array | Float64Array | boolean[] | string[];

/** An empty column of `n` rows of `type`. */
export function allocate(type: ParquetType, n: number): Column {
  switch (type) {
    case 'INT32': return new Int32Array(n);
    case 'DOUBLE': return new Float64Array(n);
    case 'BOOLEAN': return new Array<boolean>(n);
    default: return new Array<string>(n);
  }
}

const createdBy = (version: string) => `partnersim ${version} (hyparquet-writer)`;

/** Parquet bytes in chunks, one row group per block. */
export function* parquetChunks(spec: readonly ParquetColumn[], columnBlocks: Iterable<Column[]>, version: string): Generator<Uint8Array> {
  const writer = new ByteWriter(1 << 16);
  const drain = (): Uint8Array => {
    const bytes = new Uint8Array(writer.buffer, 0, writer.index).slice();
    writer.index = 0;
    return bytes;
  };
  const schema = schemaFromColumnData({
    columnData: spec.map((c) => ({ name: c.name, data: [], type: c.type, nullable: false })),
  });
  const pq = new ParquetWriter({ writer, schema, codec: 'SNAPPY', createdBy: createdBy(version) });
  for (const columns of columnBlocks) {
    const rows = columns[0].length;
    if (rows === 0) continue;
    pq.write({ columnData: spec.map((c, k) => ({ name: c.name, data: columns[k] })), rowGroupSize: rows });
    yield drain();
  }
  pq.finish();
  yield drain();
}

/** A Parquet file read back into whole columns (numbers, booleans or strings). */
export interface ReadTable {
  rows: number;
  columns: Record<string, ArrayLike<unknown>>;
  /** Column names in file order. */
  names: string[];
}

/** Reads every column of a Parquet file (for merge and tests). */
export async function readParquet(path: string): Promise<ReadTable> {
  const bytes = readFileSync(path);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(buffer);
  const rows = Number(metadata.num_rows);
  const names = metadata.schema.slice(1).map((s) => s.name);
  const parts: Record<string, { start: number; data: ArrayLike<unknown> }[]> = Object.fromEntries(names.map((n) => [n, []]));
  await parquetRead({
    file: buffer, metadata,
    onChunk: (chunk) => parts[chunk.columnName].push({ start: chunk.rowStart, data: chunk.columnData }),
  });
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const name of names) {
    const list = parts[name].sort((a, b) => a.start - b.start);
    const first = list[0]?.data;
    const out = ArrayBuffer.isView(first) ? new (first.constructor as Float64ArrayConstructor)(rows) : new Array<unknown>(rows);
    for (const part of list) {
      for (let i = 0; i < part.data.length && part.start + i < rows; i++) (out as unknown[])[part.start + i] = part.data[i];
    }
    columns[name] = out as ArrayLike<unknown>;
  }
  return { rows, columns, names };
}
