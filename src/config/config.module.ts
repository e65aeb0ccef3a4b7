import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, registerAs } from '@nestjs/config';
import { AppConfig, loadConfig } from './app-config.js';

/**
 * The service's own settings, validated once when the app boots, as ConfigService's `app`
 * namespace. The test kit replaces it with overrideProvider(appConfig.KEY).
 */
export const appConfig = registerAs('app', (): AppConfig => loadConfig(process.env));

/**
 * Nest's ConfigModule (global: `ConfigService.get('YOUR_VARIABLE')` reads your own variables, from
 * the environment or a `.env` file) with the service's settings on top, as the typed, frozen AppConfig.
 */
@Global()
@Module({
  imports: [NestConfigModule.forRoot({ isGlobal: true, cache: true, load: [appConfig] })],
  providers: [{ provide: AppConfig, inject: [appConfig.KEY], useFactory: (config: AppConfig): AppConfig => config }],
  exports: [AppConfig],
})
export class ConfigModule {}
