import { Controller, Get, Inject, Param, Query as QueryParams } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '@leadstream/event-sourcing';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { CurrentPrincipal, findKeysetPage, RequirePermissions, type Principal } from '@leadstream/platform';
import { IDENTITY_READ_STORE } from '../../identity.tokens';
import { AccountBindingIdParams } from '../commands/account-binding.http.controller';
import { BINDING_KINDS, type BindingKind } from '../domain/binding.events';
import { ACCOUNT_BINDING_LIST_COLLECTION, accountBindingListCollectionOptions, type AccountBindingListDocument } from '../projections/account-binding-list.projection';

/** A binding as the API shows it: which credential fields are set, never their values. */
export class AccountBindingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: BINDING_KINDS }) kind: BindingKind;
  @ApiProperty() accountId: string;
  @ApiProperty({ type: String, nullable: true }) displayName: string | null;
  @ApiProperty({ type: [String], example: ['appId', 'appSecret'], description: 'Names of the stored credential fields; the values are never returned' })
  credentialFields: string[];
  @ApiProperty({ format: 'uuid' }) boundBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

function toView(doc: AccountBindingListDocument): AccountBindingView {
  return {
    id: doc._id,
    kind: doc.kind,
    accountId: doc.accountId,
    displayName: doc.displayName,
    credentialFields: [...doc.credentialFields],
    boundBy: doc.boundBy,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export interface AccountBindingPage {
  readonly items: AccountBindingView[];
  readonly total: number;
  readonly nextCursor: string | null;
}

export class ListAccountBindingsQuery extends Query<AccountBindingPage> {
  constructor(
    readonly tenantId: string,
    readonly kind: BindingKind | undefined,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}

/** Oldest first; keyset pagination on (createdAt, id). */
@QueryHandler(ListAccountBindingsQuery)
export class ListAccountBindingsHandler implements IQueryHandler<ListAccountBindingsQuery> {
  constructor(@Inject(IDENTITY_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: ListAccountBindingsQuery): Promise<AccountBindingPage> {
    const conditions: Filter[] = [{ tenantId: query.tenantId }];
    if (query.kind !== undefined) conditions.push({ kind: query.kind });
    const base: Filter = conditions.length === 1 ? conditions[0]! : { $and: conditions };
    const bindings = this.store.collection<AccountBindingListDocument>(ACCOUNT_BINDING_LIST_COLLECTION, accountBindingListCollectionOptions);
    const { docs, total, nextCursor } = await findKeysetPage(bindings, { filter: base, limit: query.limit, cursor: query.cursor, direction: 1 });
    return { items: docs.map(toView), total, nextCursor };
  }
}

export class GetAccountBindingQuery extends Query<AccountBindingView> {
  constructor(
    readonly tenantId: string,
    readonly bindingId: string,
  ) {
    super();
  }
}

/** Another tenant's binding is simply not found. */
@QueryHandler(GetAccountBindingQuery)
export class GetAccountBindingHandler implements IQueryHandler<GetAccountBindingQuery> {
  constructor(@Inject(IDENTITY_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: GetAccountBindingQuery): Promise<AccountBindingView> {
    const bindings = this.store.collection<AccountBindingListDocument>(ACCOUNT_BINDING_LIST_COLLECTION, accountBindingListCollectionOptions);
    const doc = await bindings.findOne({ _id: query.bindingId, tenantId: query.tenantId });
    if (!doc) throw new DomainError('not_found', 'identity.account-binding-not-found', `Account binding ${query.bindingId} was not found.`);
    return toView(doc);
  }
}

export class ListAccountBindingsRequestDto {
  @ApiPropertyOptional({ enum: BINDING_KINDS })
  @IsOptional()
  @IsIn(BINDING_KINDS)
  kind?: BindingKind;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class AccountBindingPageDto {
  @ApiProperty({ type: [AccountBindingView] }) items: AccountBindingView[];
  @ApiProperty() total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ApiTags('identity: account bindings')
@ApiBearerAuth()
@Controller('v1/account-bindings')
export class AccountBindingQueriesHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'List the enterprise’s bound accounts, oldest first, with cursor pagination (ORG-10); credentials are never returned' })
  @ApiOkResponse({ type: AccountBindingPageDto })
  list(@QueryParams() params: ListAccountBindingsRequestDto, @CurrentPrincipal() principal: Principal): Promise<AccountBindingPageDto> {
    return this.queryBus.execute(new ListAccountBindingsQuery(principal.tenantId, params.kind, params.limit ?? 50, params.cursor));
  }

  @Get(':id')
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'Read one bound account (ORG-10); credentials are never returned' })
  @ApiOkResponse({ type: AccountBindingView })
  get(@Param() { id }: AccountBindingIdParams, @CurrentPrincipal() principal: Principal): Promise<AccountBindingView> {
    return this.queryBus.execute(new GetAccountBindingQuery(principal.tenantId, id));
  }
}
