import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ContactSummaryView } from '../contact.view';

export class ListContactsRequestDto {
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

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 20 })
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

export class ContactListPageDto {
  @ApiProperty({ type: [ContactSummaryView] }) items: ContactSummaryView[];
  @ApiProperty() total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
