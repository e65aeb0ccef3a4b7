// class-transformer publishes the types of its metadata storage but no entry point for it.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
