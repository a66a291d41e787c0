import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The first answer to a state-changing POST, keyed by the caller and their
 * Idempotency-Key. Written in the same transaction as the change it answers.
 */
@Entity('idempotency_records')
export class IdempotencyRecord {
  @PrimaryColumn('uuid')
  userId!: string;

  @PrimaryColumn('varchar', { length: 128 })
  key!: string;

  @Column('uuid')
  countyId!: string;

  /** SHA-256 of method, route and body: the same key with another request is refused. */
  @Column('char', { length: 64 })
  fingerprint!: string;

  @Column('integer')
  statusCode!: number;

  @Column('jsonb')
  body!: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
