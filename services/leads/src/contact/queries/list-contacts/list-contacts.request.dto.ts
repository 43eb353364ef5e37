import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CursorPageQuery } from '@leadstream/platform';
import { ContactSummaryView } from '../contact.view';

export class ListContactsRequestDto extends CursorPageQuery {
  @ApiPropertyOptional({
    description:
      'An identifier, normalised as the leads\' are: `kind:value` (`phone:+86 138 0013 8000`, `email:a@b.cn`, `qq:10001`, `wechat:han_mm`), or a bare e-mail, phone or QQ number. Send `+` as `%2B`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  identifier?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The contact this lead belongs to' })
  @IsOptional()
  @IsUUID()
  leadId?: string;

}
// paging (limit 1-200, cursor) as every list; this one shows 20 by default
ApiPropertyOptional({ minimum: 1, maximum: 200, default: 20 })(ListContactsRequestDto.prototype, 'limit');

export class ContactListPageDto {
  @ApiProperty({ type: [ContactSummaryView] }) items: ContactSummaryView[];
  @ApiProperty() total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
