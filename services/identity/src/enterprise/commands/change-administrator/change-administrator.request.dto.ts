import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';

export class NewAdministratorCredentialsDto {
  @ApiProperty({ description: 'Account name of an existing, enabled member of the same enterprise' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  accountName: string;

  @ApiProperty({ description: 'That member’s password (its proof of consent)' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class ChangeAdministratorRequestDto {
  @ApiProperty({ description: 'The current administrator’s password' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ type: NewAdministratorCredentialsDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => NewAdministratorCredentialsDto)
  newAdmin: NewAdministratorCredentialsDto;
}

export class ChangeAdministratorResponseDto {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid' }) previousAdminMemberId: string;
  @ApiProperty({ format: 'uuid' }) adminMemberId: string;
}
