import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ValidationProblemException, type ProblemFieldError } from './problem-details';

/**
 * Flattens class-validator errors into `{ field, reason }` entries, one per failed constraint.
 * Nested paths are joined with `.` (`admin.password`), array items use their index (`tags.0`).
 */
export function validationErrorsToFields(errors: readonly ValidationError[], parentPath = ''): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  for (const error of errors) {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const reason of Object.values(error.constraints ?? {})) {
      out.push({ field, reason });
    }
    if (error.children && error.children.length > 0) {
      out.push(...validationErrorsToFields(error.children, field));
    }
  }
  return out;
}

/**
 * The global validation pipe: `whitelist`, `forbidNonWhitelisted` (unknown properties are a 400
 * naming them: "property x should not exist") and `transform` (DTO instances are built).
 * Failures become a 400 `ValidationProblemException` listing every field.
 *
 * Query strings arrive as strings: a numeric query parameter needs `@Type(() => Number)` in its
 * DTO (implicit conversion is off on purpose, so `"false"` never silently becomes `true`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => new ValidationProblemException(validationErrorsToFields(errors)),
  });
}
