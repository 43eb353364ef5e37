import { ApiProperty } from '@nestjs/swagger';
import type { MemberListDocument } from '../projections/member-list/member-list.schema';

/** A member as the API shows it: never a password hash. */
export class MemberView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '80012345' }) accountNumber: string;
  @ApiProperty({ example: 'li.lei' }) accountName: string;
  @ApiProperty({ type: String, nullable: true }) realName: string | null;
  @ApiProperty({ type: String, nullable: true }) nickname: string | null;
  @ApiProperty({ enum: ['enabled', 'disabled'] }) status: 'enabled' | 'disabled';
  @ApiProperty() isAdmin: boolean;
  @ApiProperty({ description: 'Holds the management permission (org:manage)' }) manager: boolean;
  @ApiProperty() marketingOnly: boolean;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The member’s departments (ORG-5)' }) departmentIds: string[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export function toMemberView(doc: MemberListDocument): MemberView {
  return {
    id: doc._id,
    accountNumber: doc.accountNumber,
    accountName: doc.accountName,
    realName: doc.realName,
    nickname: doc.nickname,
    status: doc.status,
    isAdmin: doc.isAdmin,
    manager: doc.manager,
    marketingOnly: doc.marketingOnly,
    departmentIds: doc.departmentIds ?? [],
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
