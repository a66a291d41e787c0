import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../orgs/org-unit.entity';

/** Evidence file metadata; the bytes live in FileStorage under `storageKey`. */
@Entity('attachments')
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
}
