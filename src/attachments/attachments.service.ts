import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { EntityManager, In, Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { EvidenceRef } from '../signatures/signature.entity';
import { Attachment } from './attachment.entity';
import { AttachmentResponse } from './attachment.response';
import { FileStorage } from './file-storage';

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

@Injectable()
export class AttachmentsService {
  constructor(
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly storage: FileStorage,
  ) {}

  async upload(user: AuthUser, file: UploadedFileLike | undefined): Promise<Attachment> {
    if (!file || file.size === 0) throw DomainError.validation('file', 'file 不能为空，请以 multipart/form-data 上传');
    const type = sniff(file.buffer);
    if (!type) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '只接受 JPEG、PNG、WebP 图片或 PDF 文件', [{ field: 'file', message: 'file 类型不受支持' }]);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const id = randomUUID();
    const storageKey = `${user.countyId}/${sha256.slice(0, 2)}/${id}.${type.ext}`;
    await this.storage.put(storageKey, file.buffer);
    const row = this.attachments.create({
      id,
      countyId: user.countyId,
      uploaderId: user.id,
      filename: Buffer.from(file.originalname, 'latin1').toString('utf8').slice(0, 255),
      mimeType: type.mime,
      size: file.size,
      sha256,
      storageKey,
    });
    await this.attachments.insert(row);
    return row;
  }

  /** Evidence for a signature: every id must be an attachment of the caller's county. */
  async evidenceRefs(countyId: string, ids: string[], manager: EntityManager = this.attachments.manager): Promise<EvidenceRef[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const rows = await manager.find(Attachment, { where: { id: In(unique), countyId } });
    if (rows.length !== unique.length) throw DomainError.validation('evidence', '佐证材料中含有不存在的附件');
    const byId = new Map(rows.map((r) => [r.id, r]));
    return unique.map((id) => {
      const r = byId.get(id)!;
      return { id: r.id, sha256: r.sha256, filename: r.filename };
    });
  }

  async findOrThrow(countyId: string, id: string): Promise<{ row: Attachment; data: Buffer }> {
    const row = await this.attachments.findOne({ where: { id, countyId } });
    if (!row) throw DomainError.notFound('附件');
    return { row, data: await this.storage.get(row.storageKey) };
  }
}

export function mapAttachment(a: Attachment): AttachmentResponse {
  return { id: a.id, filename: a.filename, mimeType: a.mimeType, size: a.size, sha256: a.sha256, createdAt: a.createdAt?.toISOString?.() ?? null };
}
