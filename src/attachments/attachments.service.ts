import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { AuthUser, hasRole } from '../auth/auth-user';
import { SIGNING_ROLES } from '../auth/roles';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { uploadedFileName } from '../common/http/safe-text';
import { AppConfig } from '../config/app-config';
import { applyItemVisibility } from '../items/item-conditions';
import { ProblemItem } from '../items/problem-item.entity';
import { ScopeService } from '../orgs/scope.service';
import { EvidenceRef, Signature } from '../signatures/signature.entity';
import { Attachment } from './attachment.entity';
import { AttachmentResponse } from './attachment.response';
import { FileStorage } from './file-storage';
import { runExclusive } from '../database/exclusive-job';

/** Accepted evidence types, recognised by their leading bytes rather than the client's claim. */
const SIGNATURES: Array<{ mime: string; ext: string; magic: number[] }> = [
  { mime: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'application/pdf', ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mime: 'image/webp', ext: 'webp', magic: [0x52, 0x49, 0x46, 0x46] },
];

function sniff(data: Buffer): { mime: string; ext: string } | null {
  const hit = SIGNATURES.find((s) => s.magic.every((b, i) => data[i] === b));
  if (hit?.mime === 'image/webp' && data.subarray(8, 12).toString('latin1') !== 'WEBP') return null;
  return hit ?? null;
}

export interface UploadedFileLike {
  originalname: string;
  buffer: Buffer;
  size: number;
}

/** How often each instance looks for uncited uploads. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** `s.evidence` (a signature, alias s) cites the attachment whose id is the SQL expression `idSql`; served by ix_signatures_evidence. */
const cites = (idSql: string) => `s.evidence @> jsonb_build_array(jsonb_build_object('id', ${idSql}::text))`;

/**
 * Evidence files. An attachment is seen only by its uploader and by those who
 * can see an item whose signature cites it; it may be cited by its uploader,
 * or again on an item that already cites it; uploads nobody cited within
 * ATTACHMENT_ORPHAN_HOURS are deleted.
 */
/** The advisory lock's name of the orphan sweep (runExclusive). */
export const SWEEP_JOB = 'attachment-sweep';

@Injectable()
export class AttachmentsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Attachments');
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly storage: FileStorage,
    private readonly scope: ScopeService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.sweepTimer = setInterval(() => {
      this.sweepOrphans().catch((err: unknown) => this.logger.error(`orphan sweep failed: ${String(err)}`));
    }, SWEEP_EVERY_MS);
    // The sweep never keeps the process alive (tests, CLI scripts, shutdown).
    this.sweepTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweepTimer);
  }

  async upload(user: AuthUser, file: UploadedFileLike | undefined): Promise<Attachment> {
    // The route allows only these roles too; evidence is for signing, which the 三员 never do.
    if (!hasRole(user, ...SIGNING_ROLES)) throw DomainError.forbidden('只有签字的角色可以上传佐证材料');
    if (!file || file.size === 0) throw DomainError.validation('file', 'file 不能为空，请以 multipart/form-data 上传');
    const type = sniff(file.buffer);
    if (!type) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '只接受 JPEG、PNG、WebP 图片或 PDF 文件', [{ field: 'file', message: 'file 类型不受支持' }]);
    const filename = uploadedFileName(file).slice(0, 255);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const id = randomUUID();
    const storageKey = `${user.countyId}/${sha256.slice(0, 2)}/${id}.${type.ext}`;
    const row = this.attachments.create({
      id,
      countyId: user.countyId,
      uploaderId: user.id,
      filename,
      mimeType: type.mime,
      size: file.size,
      sha256,
      storageKey,
    });
    await this.storage.put(storageKey, file.buffer);
    try {
      await this.attachments.insert(row);
    } catch (err) {
      // No file without its row (the sweep only finds rows): the upload leaves nothing behind.
      await this.storage.remove(storageKey).catch((e: unknown) => this.logger.warn(`could not remove ${storageKey}: ${String(e)}`));
      throw err;
    }
    return row;
  }

  /**
   * Evidence for a signature on `itemId`: each id must be the caller's own
   * upload or one a signature on the same item already cites. One statement
   * checks that and marks the rows cited; its row locks order it against
   * the sweep, so a file is never deleted under a signature that cites it.
   */
  async evidenceRefs(user: AuthUser, itemId: string, ids: string[], manager: EntityManager = this.attachments.manager): Promise<EvidenceRef[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const raw: unknown = await manager.query(
      `UPDATE attachments a SET cited_at = COALESCE(a.cited_at, now())
        WHERE a.id = ANY($1::uuid[]) AND a.county_id = $2
          AND (a.uploader_id = $3 OR EXISTS (SELECT 1 FROM signatures s WHERE s.subject_type = 'item' AND s.subject_id = $4 AND ${cites('a.id')}))
        RETURNING a.id, a.sha256, a.filename`,
      [unique, user.countyId, user.id, itemId],
    );
    // pg answers UPDATE … RETURNING as [rows, count] through TypeORM.
    const rows = (Array.isArray(raw) && Array.isArray(raw[0]) ? raw[0] : raw) as EvidenceRef[];
    if (rows.length !== unique.length) throw DomainError.validation('evidence', '佐证材料只能引用本人上传的附件或本问题已有的佐证材料');
    const byId = new Map(rows.map((r) => [r.id, r]));
    return unique.map((id) => {
      const r = byId.get(id)!;
      return { id: r.id, sha256: r.sha256, filename: r.filename };
    });
  }

  /**
   * The file, for its uploader and for whoever can see an item a signature
   * of which cites it (the items' own visibility rule); 404 for anyone else.
   * One query.
   */
  async findOrThrow(user: AuthUser, id: string): Promise<{ row: Attachment; data: Buffer }> {
    const scope = await this.scope.scopeOf(user);
    const citing = this.attachments.manager
      .createQueryBuilder(ProblemItem, 'i')
      .select('1')
      .innerJoin(Signature, 's', "s.subject_id = i.id AND s.subject_type = 'item'")
      .where(cites('a.id'));
    applyItemVisibility(citing, user, scope);
    const row = await this.attachments
      .createQueryBuilder('a')
      .where('a.id = :attachmentId AND a.county_id = :county', { attachmentId: id, county: user.countyId })
      .andWhere(new Brackets((w) => w.where('a.uploader_id = :viewer', { viewer: user.id }).orWhere(`EXISTS (${citing.getQuery()})`)))
      .setParameters(citing.getParameters())
      .getOne();
    if (!row) throw DomainError.notFound('附件');
    return { row, data: await this.storage.get(row.storageKey) };
  }

  /**
   * Deletes uploads that no signature cited within ATTACHMENT_ORPHAN_HOURS,
   * rows first: DELETE … RETURNING gives each row to one instance only, and
   * that instance removes the file; the advisory lock keeps a second
   * instance from even starting a round while one runs. Answers how many
   * were deleted (0 when another instance had the round).
   */
  async sweepOrphans(): Promise<number> {
    return (await runExclusive(this.attachments.manager.connection, SWEEP_JOB, () => this.sweep())) ?? 0;
  }

  private async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.ATTACHMENT_ORPHAN_HOURS * 3_600_000);
    const raw: unknown = await this.attachments.query(`DELETE FROM attachments WHERE cited_at IS NULL AND created_at < $1 RETURNING storage_key`, [cutoff]);
    const rows = (Array.isArray(raw) && Array.isArray(raw[0]) ? raw[0] : raw) as Array<{ storage_key: string }>;
    for (const { storage_key } of rows) {
      await this.storage.remove(storage_key).catch((err: unknown) => this.logger.warn(`could not remove ${storage_key}: ${String(err)}`));
    }
    if (rows.length) this.logger.log(`deleted ${rows.length} uncited upload(s)`);
    return rows.length;
  }
}

export function mapAttachment(a: Attachment): AttachmentResponse {
  return { id: a.id, filename: a.filename, mimeType: a.mimeType, size: a.size, sha256: a.sha256, createdAt: a.createdAt?.toISOString?.() ?? null };
}
