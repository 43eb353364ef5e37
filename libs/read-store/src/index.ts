export * from './read-store.port';
// `Projection` names both the projector interface and the find-options field projection: the
// package's `Projection` is the projector one; the field projection is also `FieldProjection`.
export type { Projection } from './projector';
export type { Projection as FieldProjection } from './read-store.port';
export * from './projector-runner';
