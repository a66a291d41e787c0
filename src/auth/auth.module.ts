import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { OrgsModule } from '../orgs/orgs.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard, RolesGuard } from './guards';
import { JwtSecret } from './jwt-secret';
import { JwtStrategy } from './jwt.strategy';
import { LocalStrategy } from './local.strategy';
import { LoginAttempts } from './login-attempts.service';
import { PasswordChangeGuard } from './password-change.guard';
import { RefreshToken } from './refresh-token.entity';
import { SigningGrantGuard } from './signing-grant.guard';
import { SigningGrants } from './signing-grants';
import { TotpEnrolmentGuard } from './totp/totp-enrolment.guard';
import { TotpController } from './totp/totp.controller';
import { TotpService } from './totp/totp.service';

@Module({
  imports: [
    PassportModule,
    UsersModule,
    OrgsModule,
    TypeOrmModule.forFeature([RefreshToken]),
    JwtModule.registerAsync({
      inject: [AppConfig, JwtSecret],
      useFactory: (config: AppConfig, secret: JwtSecret) => ({
        secret: secret.value,
        signOptions: {
          algorithm: 'HS256',
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          expiresIn: config.JWT_ACCESS_TTL_SECONDS,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
      }),
    }),
  ],
  controllers: [AuthController, TotpController],
  providers: [
    AuthService,
    LocalStrategy,
    JwtStrategy,
    LoginAttempts,
    SigningGrants,
    TotpService,
    // Order matters: who is calling, then whether they must change their password first, then enrol a second factor, then their roles, then (signing routes) their signing grant.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: PasswordChangeGuard },
    { provide: APP_GUARD, useClass: TotpEnrolmentGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: SigningGrantGuard },
  ],
  exports: [AuthService, SigningGrants],
})
export class AuthModule {}
