import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'qingling:public';
/** Marks a route as reachable without an access token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
