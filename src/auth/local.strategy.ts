import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { AuthUser } from './auth-user';
import { AuthService } from './auth.service';
import type { LoginDto } from './dto/login.dto';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  /** The body was validated as a LoginDto first (LocalAuthGuard): the second factor is read from it. */
  validate(req: Request, username: string, password: string): Promise<AuthUser> {
    const { totpCode, recoveryCode } = req.body as LoginDto;
    return this.auth.validateCredentials(username, password, { totpCode, recoveryCode });
  }
}
