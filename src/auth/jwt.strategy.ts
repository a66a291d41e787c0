import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { AuthUser } from './auth-user';
import { AccessClaims, AuthService } from './auth.service';
import { JwtSecret } from './jwt-secret';

/** Bearer access tokens: HS256 only (alg pinned, so alg=none and RS/HS confusion fail), issuer and audience checked. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly auth: AuthService,
    config: AppConfig,
    secret: JwtSecret,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken takes a KeyObject (its docs); passport-jwt's types only list string | Buffer
      secretOrKey: secret.key as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessClaims): Promise<AuthUser> {
    const user = await this.auth.userForAccessToken(claims);
    if (!user) throw new DomainError('UNAUTHENTICATED', '账号不存在或已停用');
    return user;
  }
}
