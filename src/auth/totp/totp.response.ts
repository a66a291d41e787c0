/** The caller's second factor (GET /api/auth/totp). */
export class TotpStatusResponse {
  /** An authenticator is active: logins take a code after the password. */
  enabled!: boolean;
  /** When the active authenticator was confirmed. */
  enabledAt!: string | null;
  /** The caller's role requires a second factor (TOTP_REQUIRED_ROLES): it cannot be turned off. */
  required!: boolean;
  /** An enrolment was started and awaits its first code (POST /api/auth/totp/confirm). */
  pending!: boolean;
  /** Unused recovery codes. */
  recoveryCodesLeft!: number;
}

/** A started enrolment: the only answer that carries the secret. */
export class TotpEnrolmentResponse {
  /** Base32 secret, for entering by hand. */
  secret!: string;
  /** `otpauth://totp/…` URI, shown as a QR code for the authenticator app. */
  uri!: string;
  issuer!: string;
  accountName!: string;
}

/** Recovery codes, shown this once: only their hashes are kept. */
export class RecoveryCodesResponse {
  /** Ten single-use codes, `xxxx-xxxx-xxxx-xxxx`. */
  recoveryCodes!: string[];
}

export class TotpEnabledResponse extends RecoveryCodesResponse {
  enabledAt!: string;
}
