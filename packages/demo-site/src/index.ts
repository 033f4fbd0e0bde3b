export { demoArticles, type DemoArticle } from './articles.ts';
export { articlePath, renderArticle, renderListing, SITE_NAME } from './render.ts';
export { serveDemoSite, type DemoSite } from './server.ts';
