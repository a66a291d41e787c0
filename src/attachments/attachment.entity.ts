import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../orgs/org-unit.entity';

/**
 * Evidence file metadata; the bytes live in FileStorage under `storageKey`.
 * `ix_attachments_uncited` (created_at WHERE cited_at IS NULL, in the
 * migration: TypeORM cannot describe a partial index) serves the orphan sweep.
 */
@Entity('attachments')
@Index('ix_attachments_uncited', { synchronize: false })
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Column('uuid')
  uploaderId!: string;

  @Column('varchar', { length: 255 })
  filename!: string;

  @Column('varchar', { length: 100 })
  mimeType!: string;

  @Column('integer')
  size!: number;

  @Column('char', { length: 64 })
  sha256!: string;

  @Column('varchar', { length: 255 })
  storageKey!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** When a signature first cited it; uploads never cited are deleted after ATTACHMENT_ORPHAN_HOURS. */
  @Column('timestamptz', { nullable: true })
  citedAt!: Date | null;
}
