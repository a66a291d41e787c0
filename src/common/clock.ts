import { Injectable } from '@nestjs/common';

/**
 * The service's notion of "now". Everything that stamps or compares times
 * (signatures, deadlines, overdue) asks the clock, so tests and the demo seed
 * can place events in the past without touching the database.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Today's date in China (Asia/Shanghai, UTC+8, no DST) as YYYY-MM-DD. */
  today(): string {
    return chinaDate(this.now());
  }

  /** Moves the clock by `ms` (negative: into the past). For tests and the demo seed only. */
  travel(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

export function chinaDate(d: Date): string {
  return chinaWallTime(d).toISOString().slice(0, 10);
}

/** `d` shifted so that its UTC fields read China time (UTC+8): what a spreadsheet cell, which has no time zone, should show. */
export function chinaWallTime(d: Date): Date {
  return new Date(d.getTime() + 8 * 3_600_000);
}

export const DAY_MS = 86_400_000;

/** The calendar day `days` after `day` (YYYY-MM-DD; negative: before). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
