import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { GraphqlIdeController } from './graphql-ide.controller.js';
import { ideForBrowsers } from './graphql-ide.middleware.js';

/**
 * The GraphQL IDE: GraphiQL, bundled into dist/graphql-ide by `npm run build` and served here
 * at /graphiql, and at /graphql to browsers. Nest runs module middleware before Apollo's
 * (mounted when the GraphQL module starts), so the browser check comes first.
 */
@Module({ controllers: [GraphqlIdeController] })
export class GraphqlIdeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ideForBrowsers).forRoutes({ path: 'graphql', method: RequestMethod.GET });
  }
}
