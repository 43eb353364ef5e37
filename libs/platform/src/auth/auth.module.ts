import { Module, type DynamicModule, type Type, type InjectionToken, type ModuleMetadata, type OptionalFactoryDependency, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { TOKEN_VERIFIER, type TokenVerifier } from './principal';

/** How the host supplies the TokenVerifier: an instance, a factory with its injections, a class or an existing provider. */
export type TokenVerifierSource =
  | TokenVerifier
  | {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape of Nest's own FactoryProvider
      readonly useFactory: (...args: any[]) => TokenVerifier | Promise<TokenVerifier>;
      readonly inject?: Array<InjectionToken | OptionalFactoryDependency>;
    }
  | { readonly useClass: Type<TokenVerifier> }
  | { readonly useExisting: InjectionToken };

export interface AuthModuleOptions {
  readonly verifier: TokenVerifierSource;
  /** Modules the verifier factory's injections come from. */
  readonly imports?: ModuleMetadata['imports'];
}

function isVerifierInstance(source: TokenVerifierSource): source is TokenVerifier {
  return typeof (source as TokenVerifier).verify === 'function';
}

/**
 * Registers AuthGuard globally (APP_GUARD) and provides TOKEN_VERIFIER:
 *
 *     AuthModule.forRoot({ verifier: new JwtTokenVerifier({...}) })
 *     AuthModule.forRoot({ verifier: { useFactory: (keys: KeyRing) => accessTokenVerifier(localJwks(() => keys.jwks())), inject: [KeyRing] }, imports: [KeysModule] })
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const source = options.verifier;
    const verifierProvider: Provider = isVerifierInstance(source)
      ? { provide: TOKEN_VERIFIER, useValue: source }
      : 'useFactory' in source
        ? { provide: TOKEN_VERIFIER, useFactory: source.useFactory, inject: source.inject ?? [] }
        : 'useClass' in source
          ? { provide: TOKEN_VERIFIER, useClass: source.useClass }
          : { provide: TOKEN_VERIFIER, useExisting: source.useExisting };
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      providers: [verifierProvider, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
      exports: [TOKEN_VERIFIER, AuthGuard],
    };
  }
}
