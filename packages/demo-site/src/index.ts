export { demoArticles, type DemoArticle } from './articles.ts';
export {
  articlePath,
  authorPath,
  tagPath,
  listings,
  renderArticle,
  renderListing,
  SITE_NAME,
  type Listing,
} from './render.ts';
export { serveDemoSite, type DemoSite } from './server.ts';
