import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message to one user about an item or a campaign, written in the transaction of the transition it follows. */
@Entity('notifications')
@Index('ix_notifications_user', ['userId', 'createdAt'])
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  countyId!: string;

  @Column('uuid')
  userId!: string;

  @Column('uuid', { nullable: true })
  itemId!: string | null;

  @Column('varchar', { length: 64 })
  kind!: string;

  @Column('text')
  message!: string;

  @Column('timestamptz', { nullable: true })
  readAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
