import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, IsUUID, MaxLength } from 'class-validator';

export class StatusIdParams {
  @IsUUID()
  id: string;
}

export class StatusNameRequestDto {
  @ApiProperty({ example: 'Follow-up', minLength: 1, maxLength: 32 })
  @IsString()
  @MaxLength(200)
  name: string;
}

export class ReorderStatusesRequestDto {
  @ApiProperty({ type: [String], description: 'Every status id (retired ones included), in the new order' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID(undefined, { each: true })
  statusIds: string[];
}

export class StatusIdResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}
