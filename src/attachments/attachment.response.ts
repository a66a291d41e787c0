export class AttachmentResponse {
  /** Cite it in a signature's `evidence`. */
  id!: string;
  filename!: string;
  /** As recognised from the file's leading bytes: image/jpeg, image/png, image/webp or application/pdf. */
  mimeType!: string;
  /** Bytes. */
  size!: number;
  /** SHA-256 of the content, hex; signatures record it. */
  sha256!: string;
  createdAt!: string | null;
}
