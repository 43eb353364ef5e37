import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OptionalFactoryDependency, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { ReadStore } from '@leadstream/read-store';
import { IDEMPOTENCY_OPTIONS, IDEMPOTENCY_STORE, IdempotencyInterceptor, type IdempotencyOptions } from './idempotency.interceptor';

export type IdempotencyStoreSource =
  | ReadStore
  | {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape of Nest's own FactoryProvider
      readonly useFactory: (...args: any[]) => ReadStore | Promise<ReadStore>;
      readonly inject?: Array<InjectionToken | OptionalFactoryDependency>;
    }
  | { readonly useExisting: InjectionToken };

export interface IdempotencyModuleOptions extends IdempotencyOptions {
  /**
   * The ReadStore for idempotency records (collection `platform_idempotency_keys`). Omit it when the
   * host already provides IDEMPOTENCY_STORE globally.
   */
  readonly store?: IdempotencyStoreSource;
  /** Modules the store factory's injections come from. */
  readonly imports?: ModuleMetadata['imports'];
}

function isReadStore(source: IdempotencyStoreSource): source is ReadStore {
  return typeof (source as ReadStore).collection === 'function';
}

/** Registers IdempotencyInterceptor globally (APP_INTERCEPTOR); it acts on `@Idempotent()` routes only. */
@Module({})
export class IdempotencyModule {
  static forRoot(options: IdempotencyModuleOptions = {}): DynamicModule {
    const { store, imports, ...rest } = options;
    const providers: Provider[] = [
      { provide: IDEMPOTENCY_OPTIONS, useValue: rest },
      IdempotencyInterceptor,
      { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
    ];
    const exports: Array<InjectionToken> = [IdempotencyInterceptor, IDEMPOTENCY_OPTIONS];
    if (store !== undefined) {
      providers.push(
        isReadStore(store)
          ? { provide: IDEMPOTENCY_STORE, useValue: store }
          : 'useFactory' in store
            ? { provide: IDEMPOTENCY_STORE, useFactory: store.useFactory, inject: store.inject ?? [] }
            : { provide: IDEMPOTENCY_STORE, useExisting: store.useExisting },
      );
      exports.push(IDEMPOTENCY_STORE);
    }
    return { module: IdempotencyModule, global: true, imports: imports ?? [], providers, exports };
  }
}
