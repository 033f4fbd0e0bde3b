import { demoArticles, type DemoArticle } from './articles.ts';

export const SITE_NAME = 'The Meridian Post';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const sectionName = (s: DemoArticle['section']): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Path of an article, WordPress style: /yyyy/mm/dd/slug/. */
export const slugify = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export function authorPath(name: string): string {
  return `/author/${slugify(name)}/`;
}

export function tagPath(tag: string): string {
  return `/tag/${slugify(tag)}/`;
}

export function articlePath(a: DemoArticle): string {
  const day = a.published.slice(0, 10).replace(/-/g, '/');
  return `/${day}/${a.slug}/`;
}

const bySlug = (slug: string): DemoArticle => {
  const found = demoArticles.find((a) => a.slug === slug);
  if (!found) throw new Error(`no demo article ${slug}`);
  return found;
};

function header(base: string): string {
  return `
<div id="cookie-notice" class="cookie-banner" role="dialog">
  <p>We use cookies to improve your experience. By continuing you agree to our cookie policy.</p>
  <button class="cookie-accept">Accept</button>
</div>
<div class="td-header-top-menu">
  <div class="td-weather-top-widget" id="td_top_weather_uid">
    <i class="td-icons clear-sky-d"></i>
    <div class="td-weather-now"><span class="td-big-degrees">35.5</span><span class="td-weather-unit">C</span></div>
    <div class="td-weather-header"><div class="td-weather-city">Islamabad</div></div>
  </div>
  <div class="td_data_time"><div>Saturday, July 26, 2025</div></div>
  <ul class="top-header-menu"><li><a href="${base}/about/">About Us</a></li><li><a href="${base}/contact/">Contact</a></li></ul>
</div>
<header class="td-header-wrap">
  <div class="td-logo"><a href="${base}/"><img src="${base}/img/logo.png" alt="${SITE_NAME}"></a></div>
  <nav class="td-header-menu-wrap" role="navigation">
    <ul id="menu-main" class="sf-menu">
      <li><a href="${base}/">Home</a></li>
      <li><a href="${base}/category/world/">World</a></li>
      <li><a href="${base}/category/business/">Business</a></li>
      <li><a href="${base}/category/sport/">Sport</a></li>
      <li><a href="${base}/category/science/">Science</a></li>
    </ul>
  </nav>
</header>`;
}

function sidebar(base: string, exclude?: DemoArticle): string {
  const others = demoArticles.filter((a) => a !== exclude);
  const list = (items: DemoArticle[]) =>
    items
      .map(
        (a) =>
          `<div class="td_module_6 td_module_wrap"><h3 class="entry-title td-module-title"><a href="${base}${articlePath(a)}" rel="bookmark" title="${esc(a.title)}">${esc(a.title)}</a></h3><span class="td-post-date"><time class="entry-date" datetime="${a.published}">${a.published.slice(0, 10)}</time></span></div>`,
      )
      .join('\n');
  return `
<aside class="td-pb-span4 td-main-sidebar" role="complementary">
  <div class="td_block_wrap td_block_trending_now"><div class="td-block-title-wrap"><h4 class="block-title"><span>Trending Now</span></h4></div>
    ${list(others.slice(0, 3))}
  </div>
  <div class="td_block_wrap td_block_latest"><div class="td-block-title-wrap"><h4 class="block-title"><span>Latest News</span></h4></div>
    ${list(others.slice(2, 5))}
  </div>
  <div class="td-a-rec td-a-rec-id-sidebar"><span class="td-adspot-title">- Advertisement -</span><img src="${base}/ads/sidebar.png" alt=""></div>
</aside>`;
}

function footer(base: string): string {
  return `
<div class="td-footer-wrapper">
  <div class="newsletter-signup"><h4>Subscribe to our newsletter</h4><p>Get the day’s top stories in your inbox every morning.</p><form action="${base}/subscribe"><input type="email" name="email" placeholder="Your email"><button>Subscribe</button></form></div>
  <div class="footer-text-wrap">${SITE_NAME} is an independent news site covering politics, business, sport and science.</div>
  <div class="td-social-icons"><a href="https://twitter.com/meridianpost">Twitter</a> <a href="https://facebook.com/meridianpost">Facebook</a></div>
</div>
<div class="td-sub-footer-container"><div class="td-sub-footer-copy">© Copyright 2025 - ${SITE_NAME}. All rights reserved.</div>
  <ul class="td-subfooter-menu"><li><a href="${base}/privacy-policy/">Privacy Policy</a></li><li><a href="${base}/terms/">Terms</a></li></ul>
</div>`;
}

function page(base: string, head: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${head}
<link rel="alternate" type="application/rss+xml" title="${SITE_NAME} &raquo; Feed" href="${base}/feed/">
<link rel="stylesheet" href="${base}/wp-content/themes/Newspaper/style.css">
<script>window.tdwGlobal = {"siteUrl": "${base}"};</script>
</head>
<body class="td-standard-pack">
${header(base)}
${body}
${footer(base)}
<script src="${base}/wp-includes/js/jquery.min.js"></script>
</body>
</html>`;
}

function paragraphHtml(base: string, p: string): string {
  if (p.startsWith('READMORE:')) {
    const target = bySlug(p.slice('READMORE:'.length));
    return `<p><strong>Read More: <a href="${base}${articlePath(target)}">${esc(target.title)}</a></strong></p>`;
  }
  return `<p>${esc(p)}</p>`;
}

/** One article page, built like a WordPress news theme page: the article plus all the usual boilerplate. */
export function renderArticle(base: string, a: DemoArticle): string {
  const url = `${base}${articlePath(a)}`;
  const related = demoArticles
    .filter((o) => o !== a && o.section === a.section)
    .concat(demoArticles.filter((o) => o !== a && o.section !== a.section))
    .slice(0, 3);
  const jsonLd = {
    '@context': 'https://schema.org',
    '@graph': [
      {
        '@type': 'NewsArticle',
        '@id': `${url}#article`,
        headline: a.title,
        datePublished: a.published,
        dateModified: a.modified ?? a.published,
        author: {
          '@type': 'Person',
          name: a.author.name,
          url: `${base}${authorPath(a.author.name)}`,
        },
        publisher: {
          '@type': 'Organization',
          name: SITE_NAME,
          logo: { '@type': 'ImageObject', url: `${base}/img/logo.png` },
        },
        mainEntityOfPage: url,
        image: `${base}/img/${a.slug}.jpg`,
        articleSection: sectionName(a.section),
        keywords: a.tags.join(', '),
        inLanguage: 'en-US',
      },
      { '@type': 'WebSite', '@id': `${base}/#website`, url: `${base}/`, name: SITE_NAME },
    ],
  };
  const head = `
<title>${esc(a.title)} | ${SITE_NAME}</title>
<meta name="description" content="${esc(a.description)}">
<link rel="canonical" href="${url}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="${esc(a.title)} | ${SITE_NAME}">
<meta property="og:description" content="${esc(a.description)}">
<meta property="og:url" content="${url}">
<meta property="og:site_name" content="${SITE_NAME}">
<meta property="og:image" content="${base}/img/${a.slug}.jpg">
<meta property="article:section" content="${sectionName(a.section)}">
${a.tags.map((t) => `<meta property="article:tag" content="${esc(t)}">`).join('\n')}
<meta property="article:published_time" content="${a.published}">
${a.modified ? `<meta property="article:modified_time" content="${a.modified}">` : ''}
<meta name="author" content="${esc(a.author.name)}">
<script type="application/ld+json" class="yoast-schema-graph">${JSON.stringify(jsonLd)}</script>`;
  const body = `
<div class="td-main-content-wrap td-container-wrap">
  <div class="td-container">
    <div class="td-crumb-container"><div class="entry-crumbs"><span><a href="${base}/">Home</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a href="${base}/category/${a.section}/">${sectionName(a.section)}</a></span></div></div>
    <div class="td-pb-row">
      <div class="td-pb-span8 td-main-content" role="main">
        <article id="post-${a.slug.length}" class="post type-post status-publish format-standard has-post-thumbnail category-${a.section}">
          <div class="td-post-header">
            <ul class="td-category"><li class="entry-category"><a href="${base}/category/${a.section}/">${sectionName(a.section)}</a></li></ul>
            <header class="td-post-title">
              <h1 class="entry-title">${esc(a.title)}</h1>
              <div class="td-module-meta-info">
                <div class="td-post-author-name"><div class="td-author-by">By</div> <a href="${base}${authorPath(a.author.name)}">${esc(a.author.name)}</a><div class="td-author-line"> - </div></div>
                <span class="td-post-date"><time class="entry-date updated td-module-date" datetime="${a.published}">${a.published.slice(0, 10)}</time></span>
                <div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-1">1,204</span></div>
              </div>
            </header>
          </div>
          <div class="td-post-sharing-top"><div class="td-post-sharing-visible"><a class="td-social-sharing-button td-social-facebook" href="https://www.facebook.com/sharer.php?u=${encodeURIComponent(url)}"><span>Facebook</span></a><a class="td-social-sharing-button td-social-twitter" href="https://twitter.com/intent/tweet?text=${encodeURIComponent(a.title)}"><span>Twitter</span></a><a class="td-social-sharing-button td-social-whatsapp" href="https://api.whatsapp.com/send?text=${encodeURIComponent(a.title)}"><span>WhatsApp</span></a></div></div>
          <div class="td-post-featured-image"><figure><img width="696" height="392" class="entry-thumb" src="${base}/img/${a.slug}.jpg" alt=""><figcaption class="wp-caption-text">File photo</figcaption></figure></div>
          <div class="td-post-content tagdiv-type">
            ${a.paragraphs.map((p) => paragraphHtml(base, p)).join('\n            ')}
            <div class="td-a-rec td-a-rec-id-content_bottom"><span class="td-adspot-title">- Advertisement -</span></div>
          </div>
          <footer>
            <div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>${a.tags.map((t) => `<li><a href="${base}${tagPath(t)}">${esc(t)}</a></li>`).join('')}</ul></div>
            <div class="td-post-sharing-bottom"><div class="td-post-sharing-classic"><a href="https://www.facebook.com/sharer.php?u=${encodeURIComponent(url)}">Share</a></div></div>
            <div class="author-box-wrap">
              <a href="${base}${authorPath(a.author.name)}"><img alt="" src="${base}/img/avatar.png" class="avatar" height="96" width="96"></a>
              <div class="desc">
                <div class="td-author-name vcard author"><span class="fn"><a href="${base}${authorPath(a.author.name)}">${esc(a.author.name)}</a></span></div>
                <div class="td-author-url"><a href="${base}/">Website</a></div>
                <div class="td-author-description">${esc(a.author.bio)}</div>
              </div>
            </div>
          </footer>
        </article>
        <div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title"><a class="td-related-left td-cur-simple-item" href="#">Related News</a></h4>
          ${related.map((r) => `<div class="td-related-span4"><div class="td_module_related_posts"><h3 class="entry-title td-module-title"><a href="${base}${articlePath(r)}" rel="bookmark" title="${esc(r.title)}">${esc(r.title)}</a></h3></div></div>`).join('\n          ')}
        </div>
        <div class="comments" id="comments"><div class="comment-respond"><h3 class="comment-reply-title">Leave a Reply</h3><p class="must-log-in">You must be logged in to post a comment.</p></div></div>
      </div>
      ${sidebar(base, a)}
    </div>
  </div>
</div>`;
  return page(base, head, body);
}

/** Home or section page: only headlines and links. */
/** A page of headlines: the home page, a section, a tag or an author archive. */
export interface Listing {
  /** Path of the listing itself, e.g. `/`, `/category/world/`, `/tag/ttp/`. */
  path: string;
  heading: string;
  items: DemoArticle[];
  /** Page number; pages after the first have no items left (the demo site is small). */
  page?: number;
}

/** Every listing the site has, keyed by path (page 1 only). */
export function listings(): Listing[] {
  const out: Listing[] = [{ path: '/', heading: 'Top Stories', items: demoArticles }];
  for (const section of ['world', 'business', 'sport', 'science'] as const) {
    out.push({
      path: `/category/${section}/`,
      heading: sectionName(section),
      items: demoArticles.filter((a) => a.section === section),
    });
  }
  for (const tag of new Set(demoArticles.flatMap((a) => a.tags))) {
    out.push({ path: tagPath(tag), heading: `Tag: ${tag}`, items: demoArticles.filter((a) => a.tags.includes(tag)) });
  }
  for (const author of new Set(demoArticles.map((a) => a.author.name))) {
    out.push({
      path: authorPath(author),
      heading: `Author: ${author}`,
      items: demoArticles.filter((a) => a.author.name === author),
    });
  }
  return out;
}

/** Home, section, tag or author page: only headlines and links. */
export function renderListing(base: string, listing: Listing): string {
  const page2 = (listing.page ?? 1) > 1;
  const items = page2 ? [] : listing.items;
  const title =
    listing.path === '/' && !page2
      ? `${SITE_NAME} - News, Business, Sport and Science`
      : `${listing.heading} | ${SITE_NAME}`;
  const self = page2 ? `${listing.path}page/${listing.page}/` : listing.path;
  const head = `<title>${esc(title)}</title><link rel="canonical" href="${base}${self}"><meta property="og:type" content="website"><meta property="og:site_name" content="${SITE_NAME}">`;
  const cards = items
    .map(
      (
        a,
      ) => `<div class="td_module_10 td_module_wrap"><div class="td-module-thumb"><a href="${base}${articlePath(a)}"><img src="${base}/img/${a.slug}.jpg" alt=""></a></div>
    <div class="item-details"><h3 class="entry-title td-module-title"><a href="${base}${articlePath(a)}" rel="bookmark">${esc(a.title)}</a></h3>
    <div class="td-excerpt">${esc(a.description)}</div></div></div>`,
    )
    .join('\n  ');
  const nav = page2
    ? `<p class="no-results">No older posts.</p><div class="page-nav"><a href="${base}${listing.path}">Newer posts</a></div>`
    : `<div class="page-nav"><a href="${base}${listing.path}page/2/">Older posts</a></div>`;
  const body = `
<div class="td-main-content-wrap"><div class="td-container">
  <h1 class="td-page-title">${esc(listing.heading)}</h1>
  ${cards}
  ${nav}
</div>${sidebar(base)}</div>`;
  return page(base, head, body);
}

/** About, contact and legal pages: a little prose, not news. */
export const infoPages: Record<string, { title: string; text: string }> = {
  '/about/': {
    title: 'About Us',
    text: `${SITE_NAME} is an independent news site covering politics, business, sport and science.`,
  },
  '/contact/': { title: 'Contact', text: 'Write to the newsroom at newsroom@meridian.example.' },
  '/privacy-policy/': { title: 'Privacy Policy', text: 'We keep the data needed to run this site and nothing more.' },
  '/terms/': { title: 'Terms', text: 'Articles may be quoted with a link to the original.' },
};

export function renderInfoPage(base: string, path: string): string | undefined {
  const info = infoPages[path];
  if (!info) return undefined;
  const head = `<title>${esc(info.title)} | ${SITE_NAME}</title><link rel="canonical" href="${base}${path}"><meta property="og:type" content="website">`;
  return page(base, head, `<div class="td-container"><h1>${esc(info.title)}</h1><p>${esc(info.text)}</p></div>`);
}

export function renderRobots(base: string): string {
  return `User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: ${base}/news-sitemap.xml\n`;
}

export function renderFeed(base: string): string {
  const items = demoArticles
    .map(
      (a) =>
        `<item><title>${esc(a.title)}</title><link>${base}${articlePath(a)}</link><pubDate>${new Date(a.published).toUTCString()}</pubDate><dc:creator><![CDATA[${a.author.name}]]></dc:creator><description>${esc(a.description)}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>${SITE_NAME}</title><link>${base}/</link><description>Latest news</description>
${items}
</channel></rss>`;
}

export function renderNewsSitemap(base: string): string {
  const urls = demoArticles
    .map(
      (a) =>
        `<url><loc>${base}${articlePath(a)}</loc><news:news><news:publication><news:name>${SITE_NAME}</news:name><news:language>en</news:language></news:publication><news:publication_date>${a.published}</news:publication_date><news:title>${esc(a.title)}</news:title></news:news></url>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
${urls}
</urlset>`;
}
