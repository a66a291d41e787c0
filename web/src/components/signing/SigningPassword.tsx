import { Form, Input, type FormInstance } from 'antd';
import { useState } from 'react';
import { obtainSigningGrant, signingGrants } from '../../auth/signing-grant';
import { ApiError, messageOf } from '../../lib/api-error';
import { isSigningGrantRefusal, SIGNING_PASSWORD_LABEL } from '../../lib/signing-grant';

/** The form field the password is typed into (never part of a request body, never kept). */
export const SIGNING_PASSWORD_FIELD = 'signingPassword';

/** The password field of a signing form, shown while the page holds no signing grant. */
export function SigningPasswordItem({ phone, note }: { phone?: boolean; note?: string | null }) {
  return (
    <Form.Item
      name={SIGNING_PASSWORD_FIELD}
      label={SIGNING_PASSWORD_LABEL}
      rules={[{ required: true, message: '请输入登录密码' }]}
      extra={note ?? '确认是您本人签字；确认后几分钟内再签字不必重新输入'}
    >
      <Input.Password autoComplete="current-password" size={phone ? 'large' : undefined} placeholder="登录密码" />
    </Form.Item>
  );
}

export interface SigningStep {
  /** Show SigningPasswordItem. */
  asking: boolean;
  /** Why it asks again (the grant ran out or the server refused it), shown under the field. */
  note: string | null;
  /**
   * The grant to send with the signed request: the one held, or one obtained
   * now with the typed password. Null when the password must be typed first
   * (the field is then shown, with the reason). Throws what obtaining it threw
   * other than a wrong password (e.g. no network).
   */
  grant(): Promise<string | null>;
  /** After a refused request: true (and the field shown again) when the server refused it for its grant. */
  refused(err: unknown): boolean;
  /** A dialog opened again: ask only if no grant is held now. */
  reset(): void;
}

/**
 * Step-up signing in a form: asks for the password (SigningPasswordItem) when
 * the action signs and the page holds no unexpired signing grant; obtains the
 * grant before the request and asks again when the server refuses it.
 */
export function useSigningStep(form: FormInstance, signs: boolean): SigningStep {
  // Whether to ask, should the action sign (a form may stop or start signing now, e.g. offline it only queues).
  const [asking, setAsking] = useState(() => !signingGrants.current());
  const [note, setNote] = useState<string | null>(null);

  const ask = (why: string) => {
    setAsking(true);
    setNote(why);
  };

  const grant = async (): Promise<string | null> => {
    const held = signingGrants.current();
    if (held) return held;
    const password = form.getFieldValue(SIGNING_PASSWORD_FIELD) as string | undefined;
    if (!asking || !password) {
      ask('签字确认已过期，请输入登录密码');
      return null;
    }
    try {
      const obtained = await obtainSigningGrant(password);
      form.setFieldValue(SIGNING_PASSWORD_FIELD, undefined);
      setAsking(false);
      setNote(null);
      return obtained;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        form.setFields([{ name: SIGNING_PASSWORD_FIELD, value: undefined, errors: [messageOf(err)] }]);
        return null;
      }
      throw err;
    }
  };

  const refused = (err: unknown): boolean => {
    if (!isSigningGrantRefusal(err)) return false;
    signingGrants.drop();
    ask(messageOf(err));
    return true;
  };

  const reset = () => {
    setAsking(!signingGrants.current());
    setNote(null);
  };

  return { asking: signs && asking, note, grant, refused, reset };
}
