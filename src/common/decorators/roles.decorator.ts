import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../auth/roles';

export const REQUIRED_ROLES = 'qingling:roles';
/** The route needs at least one of these roles. Record-level scope is checked in the service. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLES, roles);
