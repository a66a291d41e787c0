import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrgUnit } from '../orgs/org-unit.entity';

/**
 * A reminder the daily job has sent, by what it was about (`deadline-soon:<item>:<deadline>`,
 * `phase-ended:<campaign>:<phase>:<end>`): the primary key is what makes each go out once,
 * however many instances run the job and however often.
 */
@Entity('reminder_marks')
export class ReminderMark {
  @PrimaryColumn('varchar', { length: 200 })
  key!: string;

  @Column('uuid')
  countyId!: string;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id' })
  county?: OrgUnit;

  @Column('timestamptz')
  sentAt!: Date;
}
