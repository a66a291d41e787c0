import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgUnit } from '../../orgs/org-unit.entity';
import { User } from '../../users/user.entity';

/**
 * One single-use recovery code of a user with TOTP on, stored only as a
 * salted SHA-256 of its normalised form (see recovery-codes.ts). A code is
 * used by one conditional UPDATE, so two logins with the same code cannot both pass.
 */
@Entity('totp_recovery_codes')
export class TotpRecoveryCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Index('ix_totp_recovery_codes_user')
  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** 32 random bits, hex: this code's own salt. */
  @Column('char', { length: 8 })
  salt!: string;

  @Column('char', { length: 64 })
  codeHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;
}
