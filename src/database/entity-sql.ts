import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Hand-written SQL for one entity on a hot path (the sign-off), with
 * TypeORM's own column metadata and value conversion: the statements are
 * plain text with `$n` parameters, and rows come back as the entity would
 * from a query builder, without building the query or hydrating through it
 * on every request (which cost more than the database work itself).
 *
 * A `Params` collects the bind parameters of one statement; the helpers add
 * to it and answer the `$n` they used.
 */
export class Params {
  readonly values: unknown[] = [];

  /** `$n` for `value`, as sent (no conversion). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export class EntitySql<T extends ObjectLiteral> {
  /** One column per database name (a relation's join column may repeat a column the entity declares). */
  private readonly columns: ColumnMetadata[];
  private readonly byProperty: Map<string, ColumnMetadata>;
  private readonly selects = new Map<string, string>();
  readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: EntityTarget<T>,
    /** Only these properties are selected and hydrated (all when absent). */
    only?: ReadonlyArray<keyof T & string>,
  ) {
    const metadata = dataSource.getMetadata(target);
    const byName = new Map<string, ColumnMetadata>();
    for (const c of metadata.columns) {
      if (c.isVirtual || (only && !only.includes(c.propertyName as keyof T & string))) continue;
      if (!byName.has(c.databaseName) || !c.relationMetadata) byName.set(c.databaseName, c);
    }
    this.columns = [...byName.values()];
    this.byProperty = new Map(this.columns.map((c) => [c.propertyName, c]));
    this.table = this.escape(metadata.tablePath);
  }

  /** `alias."column" AS "alias.property", …` for every column, made once per alias. */
  select(alias: string): string {
    let select = this.selects.get(alias);
    if (!select) {
      select = this.columns.map((c) => `${alias}.${this.escape(c.databaseName)} AS ${this.escape(`${alias}.${c.propertyName}`)}`).join(', ');
      this.selects.set(alias, select);
    }
    return select;
  }

  /** The entity from a row selected with `select(alias)`; null when the row has none (an outer join that found nothing). */
  hydrate(alias: string, raw: Record<string, unknown>): T | null {
    const driver = this.dataSource.driver;
    const entity = this.dataSource.getMetadata(this.target).create() as T;
    let found = false;
    for (const c of this.columns) {
      const value = raw[`${alias}.${c.propertyName}`];
      if (value !== null && value !== undefined) found = true;
      (entity as Record<string, unknown>)[c.propertyName] = driver.prepareHydratedValue(value, c);
    }
    return found ? entity : null;
  }

  /** `"column" = $n, …` for the properties of `values` (undefined ones left out), converted as TypeORM would store them. */
  assignments(values: Partial<T>, params: Params): string[] {
    const driver = this.dataSource.driver;
    const out: string[] = [];
    for (const [property, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const c = this.column(property);
      out.push(`${this.escape(c.databaseName)} = ${params.add(driver.preparePersistentValue(value, c))}`);
    }
    return out;
  }

  /**
   * `INSERT INTO table (columns) SELECT $a::type, … FROM source` for one row:
   * the row is inserted once for each row of `source` (a CTE of the same
   * statement), typed explicitly because no VALUES list gives the types.
   */
  insertFrom(row: T, source: string, params: Params): string {
    const driver = this.dataSource.driver;
    const names: string[] = [];
    const values: string[] = [];
    for (const c of this.columns) {
      const value: unknown = row[c.propertyName];
      if (value === undefined) continue;
      names.push(this.escape(c.databaseName));
      values.push(`${params.add(driver.preparePersistentValue(value, c))}::${this.fullType(c)}`);
    }
    return `INSERT INTO ${this.table} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${source}`;
  }

  /** The column's type as a cast, length included: a bare `::character` would be character(1). */
  private fullType(c: ColumnMetadata): string {
    const type = this.dataSource.driver.normalizeType(c);
    const size = c.length ? `(${c.length})` : c.precision != null ? `(${c.precision}${c.scale != null ? `, ${c.scale}` : ''})` : '';
    return `${type}${size}${c.isArray ? '[]' : ''}`;
  }

  private column(property: string): ColumnMetadata {
    const c = this.byProperty.get(property);
    if (!c) throw new Error(`${this.table} has no column for ${property}`);
    return c;
  }

  private escape(name: string): string {
    return this.dataSource.driver.escape(name);
  }
}
