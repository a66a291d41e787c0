import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The seal of a chain's links from before chain keys existed: an HMAC of its last unkeyed link (sealLegacyChains). */
@Entity('chain_seals')
export class ChainSeal {
  @PrimaryColumn('uuid')
  subjectId!: string;

  @Column('integer')
  seq!: number;

  @Column('char', { length: 64 })
  hash!: string;

  @Column('varchar', { length: 32 })
  keyId!: string;

  @Column('char', { length: 64 })
  seal!: string;

  @Column('timestamptz', { default: () => 'now()' })
  sealedAt!: Date;
}
