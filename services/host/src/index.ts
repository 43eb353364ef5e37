export * from './config';
export * from './host';
