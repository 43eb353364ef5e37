import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoginHandler } from './auth/commands/login/login.handler';
import { LoginHttpController } from './auth/commands/login/login.http.controller';
import { LogoutHandler, RefreshHandler } from './auth/commands/session/session.commands';
import { LoginThrottle } from './auth/throttle/login-throttle';
import { CreateEnterpriseHandler } from './enterprise/commands/create-enterprise/create-enterprise.handler';
import { CreateEnterpriseHttpController } from './enterprise/commands/create-enterprise/create-enterprise.http.controller';
import { GetJwksHttpController } from './keys/queries/get-jwks/get-jwks.http.controller';
import { IDENTITY_EVENT_STORE, IDENTITY_OPTIONS, IDENTITY_READ_STORE, LOGIN_THROTTLE, type IdentityOptions } from './identity.tokens';
import { identityFeatures } from './identity.features';
import { IdentityRuntime } from './identity.runtime';

/** The identity service (ORG-*): enterprises, members, sign-in and the public keys. */
@Module({})
export class IdentityModule {
  static register(options: IdentityOptions): DynamicModule {
    return {
      module: IdentityModule,
      imports: [CqrsModule],
      controllers: [CreateEnterpriseHttpController, LoginHttpController, GetJwksHttpController, ...identityFeatures.flatMap((f) => f.controllers)],
      providers: [
        { provide: IDENTITY_OPTIONS, useValue: options },
        { provide: IDENTITY_EVENT_STORE, useValue: options.eventStore },
        { provide: IDENTITY_READ_STORE, useValue: options.readStore },
        CreateEnterpriseHandler,
        LoginHandler,
        RefreshHandler,
        LogoutHandler,
        // ORG-3 brute-force slowing: in memory, one per process (see LoginThrottle)
        { provide: LOGIN_THROTTLE, useValue: new LoginThrottle(options.loginLockout) },
        ...identityFeatures.flatMap((f) => f.providers),
        IdentityRuntime,
      ],
      exports: [IdentityRuntime],
    };
  }
}
