import { IsUUID } from 'class-validator';

export class DepartmentIdParams {
  @IsUUID()
  id: string;
}
