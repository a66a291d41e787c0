/**
 * ts-jest AST transformer applying the @nestjs/swagger CLI plugin, as `nest build`
 * does (nest-cli.json), so the OpenAPI document under test has the properties the
 * plugin infers from DTOs and response classes. ts-jest calls `factory(compiler,
 * options)`; the plugin exports `before(options, program)` (NestJS docs, "CLI
 * plugin" → integration with ts-jest). Bump `version` when this changes: it is
 * part of ts-jest's cache key.
 */
module.exports = {
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory: (compiler, options) => require('@nestjs/swagger/plugin').before(options, compiler.program),
};
