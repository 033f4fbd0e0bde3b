<?php
// php fill.php <articles.jsonl> <posts> <ground-truth.json>
// Installs WordPress in an empty database and fills it as a newsroom would, through WordPress's own
// API: authors, categories, tags, posts with distinct publish dates (a few with an inline
// "Read More: <link>" paragraph), a sticky post, static pages, threaded comments, few posts per page.
// Writes what it put in, post by post, as JSON.
define('ABSPATH', getenv('WP_SITE_DIR') . '/');
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1:' . (getenv('WP_PORT') ?: '8091');
$_SERVER['REQUEST_URI'] = '/';
// No mail leaves a test site (WordPress mails the new site's owner).
function wp_mail(...$args)
{
    return true;
}
require ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

[$self, $datasetPath, $count, $truthPath] = $argv + [null, null, '60', null];
$count = (int) $count;
if (!$datasetPath || !$truthPath || $count < 1) {
    fwrite(STDERR, "usage: php fill.php <articles.jsonl> <posts> <ground-truth.json>\n");
    exit(2);
}

if (!is_blog_installed()) {
    wp_install('The Daily Ledger', 'editor', 'editor@example.org', true, '', wp_generate_password(24));
}
// Start from nothing but what this script adds.
foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1]) as $p) {
    wp_delete_post($p->ID, true);
}
foreach (get_comments(['status' => 'all']) as $c) {
    wp_delete_comment($c->comment_ID, true);
}

update_option('blogdescription', 'News from around the world, every day');
update_option('timezone_string', 'Europe/Berlin');
update_option('date_format', 'F j, Y');
update_option('time_format', 'g:i a');
update_option('posts_per_page', 4);
update_option('posts_per_rss', 10);
update_option('default_comment_status', 'open');
update_option('thread_comments', 1);
update_option('comment_registration', 0);
update_option('require_name_email', 1);
update_option('comment_moderation', 0);
update_option('show_avatars', 0);
update_option('blog_public', 1);
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
$wp_rewrite->flush_rules(false);

// Authors: their display names are the bylines.
$authorNames = [['Maria', 'Keller'], ['James', 'Okafor'], ['Lena', 'Sorensen'], ['David', 'Park']];
$authors = [];
foreach ($authorNames as [$first, $last]) {
    $login = strtolower($first . '.' . $last);
    $user = get_user_by('login', $login);
    $id = $user ? $user->ID : wp_insert_user([
        'user_login' => $login,
        'user_pass' => wp_generate_password(24),
        'user_email' => "$login@example.org",
        'first_name' => $first,
        'last_name' => $last,
        'display_name' => "$first $last",
        'nickname' => "$first $last",
        'description' => "$first $last reports for The Daily Ledger.",
        'role' => 'author',
    ]);
    if (is_wp_error($id)) {
        fwrite(STDERR, 'wp_insert_user: ' . $id->get_error_message() . "\n");
        exit(1);
    }
    $authors[] = ['id' => $id, 'name' => "$first $last"];
}

// Categories (one per post, by the story's topic) and tags.
$categoryNames = ['World', 'Business', 'Sport', 'Culture', 'Science', 'Crime'];
$categories = [];
foreach ($categoryNames as $name) {
    $term = term_exists($name, 'category') ?: wp_insert_term($name, 'category');
    $categories[] = ['id' => (int) $term['term_id'], 'name' => $name];
}
wp_delete_term((int) get_option('default_category'), 'category');
$tagNames = ['breaking', 'analysis', 'europe', 'americas', 'asia', 'courts', 'markets', 'weather', 'health', 'police', 'elections', 'technology'];

// Posts, oldest first, each with its own date.
$lines = file($datasetPath, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES);
$articles = [];
foreach ($lines as $line) {
    $a = json_decode($line, true);
    if (!$a) continue;
    $sentences = array_values(array_filter(array_map('trim', explode("\n", $a['body'])), fn($s) => $s !== ''));
    // A dateline-only first line ("May 03, 2013") is not a paragraph of the story.
    if ($sentences && preg_match('/^\w+ \d{1,2}, \d{4}$/', $sentences[0])) array_shift($sentences);
    $words = str_word_count(implode(' ', $sentences));
    // Stories long enough to read as articles on their own (briefs are a different question).
    if ($words < 80 || trim($a['title']) === '') continue;
    $a['sentences'] = $sentences;
    $articles[] = $a;
}
// An even spread over the topics.
usort($articles, fn($x, $y) => strcmp(md5($x['id']), md5($y['id'])));
$articles = array_slice($articles, 0, $count);

$start = strtotime('2025-03-03 06:15:00 UTC');
$truth = ['site' => home_url('/'), 'posts' => [], 'pages' => [], 'authors' => array_column($authors, 'name'), 'categories' => $categoryNames, 'tags' => $tagNames];
$created = [];
foreach ($articles as $i => $a) {
    $sentences = $a['sentences'];
    $paragraphs = [];
    for ($s = 0; $s < count($sentences); $s += 2) {
        $paragraphs[] = implode(' ', array_slice($sentences, $s, 2));
    }
    $author = $authors[$i % count($authors)];
    $category = $categories[$a['topic'] % count($categories)];
    $tags = [$tagNames[$a['topic'] % count($tagNames)], $tagNames[($i * 7 + 3) % count($tagNames)]];
    $tags = array_values(array_unique($tags));
    $gmt = gmdate('Y-m-d H:i:s', $start + $i * (19 * 3600 + 23 * 60));
    $readMore = [];
    $blocks = [];
    foreach ($paragraphs as $k => $p) {
        $blocks[] = "<!-- wp:paragraph -->\n<p>" . esc_html($p) . "</p>\n<!-- /wp:paragraph -->";
        // Every fifth post links an earlier story inline, after its first paragraph.
        if ($k === 0 && $i % 5 === 4 && $created) {
            $other = $created[intdiv($i, 2) % count($created)];
            $readMore[] = $other['url'];
            $blocks[] = "<!-- wp:paragraph -->\n<p><strong>Read More:</strong> <a href=\"" . esc_url($other['url']) . '">' . esc_html($other['title']) . "</a></p>\n<!-- /wp:paragraph -->";
        }
    }
    $id = wp_insert_post([
        'post_title' => $a['title'],
        'post_content' => implode("\n\n", $blocks),
        'post_status' => 'publish',
        'post_type' => 'post',
        'post_author' => $author['id'],
        'post_date' => get_date_from_gmt($gmt),
        'post_date_gmt' => $gmt,
        'post_category' => [$category['id']],
        'tags_input' => $tags,
        'comment_status' => 'open',
    ], true);
    if (is_wp_error($id)) {
        fwrite(STDERR, 'wp_insert_post: ' . $id->get_error_message() . "\n");
        exit(1);
    }
    $post = get_post($id);
    $url = get_permalink($id);
    $created[] = ['url' => $url, 'title' => $post->post_title];
    $truth['posts'][] = [
        'id' => $id,
        'source' => $a['id'],
        'url' => $url,
        'path' => wp_make_link_relative($url),
        'title' => $post->post_title,
        'author' => $author['name'],
        'date' => gmdate('Y-m-d\TH:i:s\Z', strtotime($post->post_date_gmt . ' UTC')),
        'categories' => [$category['name']],
        'tags' => $tags,
        'text' => implode("\n\n", $paragraphs),
        'readMore' => $readMore,
        'sticky' => false,
        'comments' => 0,
    ];
}

// Comments, some with replies (threaded: WordPress prints "Reply" links with ?replytocom=).
$commenters = [['Daniel Ortiz', 'daniel@example.net'], ['Priya Natarajan', 'priya@example.net'], ['Tom Becker', 'tom@example.net']];
foreach ($truth['posts'] as $i => &$p) {
    if ($i % 3 !== 0) continue;
    $parent = 0;
    foreach ([0, 1] as $n) {
        [$name, $email] = $commenters[($i + $n) % count($commenters)];
        $cid = wp_insert_comment([
            'comment_post_ID' => $p['id'],
            'comment_author' => $name,
            'comment_author_email' => $email,
            'comment_content' => $n === 0 ? 'Thanks for the clear report. Is there any word yet on what happens next?' : 'Officials said more details would follow later this week.',
            'comment_parent' => $parent,
            'comment_approved' => 1,
            'comment_date_gmt' => gmdate('Y-m-d H:i:s', strtotime($p['date']) + 3600 * ($n + 1)),
            'comment_date' => get_date_from_gmt(gmdate('Y-m-d H:i:s', strtotime($p['date']) + 3600 * ($n + 1))),
        ]);
        $parent = $cid;
        $p['comments']++;
    }
}
unset($p);

// One sticky post: it leads the home page whatever its date.
$stickyIndex = intdiv(count($truth['posts']), 3);
stick_post($truth['posts'][$stickyIndex]['id']);
$truth['posts'][$stickyIndex]['sticky'] = true;

// Static pages.
$pages = [
    'About' => [
        'The Daily Ledger is an independent newsroom covering world affairs, business, sport, culture and science. Our reporters work from bureaus on four continents and file stories every day of the year.',
        'We were founded by a small group of editors who believed that careful, plain reporting still matters. We take corrections seriously and publish them at the foot of the story they concern, with the date of the change.',
        'Our editorial standards, our ownership and our funding are public. Readers can write to the editors at any time, and every letter is read by a person.',
    ],
    'Contact' => [
        'You can reach the newsroom by email at news@example.org or by post at 12 Harbour Street, Port Elizabeth. Press releases go to desk@example.org and reach the duty editor within the hour.',
        'For corrections, please name the story, the sentence in question and what you believe is wrong. We answer every request for a correction within two working days.',
        'Advertising and partnership enquiries are handled by our commercial team, who are kept apart from the newsroom and have no say over what we report.',
    ],
    'Privacy Policy' => [
        'This policy explains what information we collect when you read our site, why we collect it and how long we keep it. We collect as little as we can and never sell it to anyone.',
        'When you leave a comment we store the name, email address and text you give us, together with your IP address, so that we can fight spam and answer you. Email addresses are never shown on the site.',
        'Server logs are kept for thirty days and then deleted. You may ask us at any time for a copy of the information we hold about you, or ask us to delete it, by writing to privacy@example.org.',
    ],
];
foreach ($pages as $title => $paras) {
    $content = implode("\n\n", array_map(fn($t) => "<!-- wp:paragraph -->\n<p>" . esc_html($t) . "</p>\n<!-- /wp:paragraph -->", $paras));
    $id = wp_insert_post(['post_title' => $title, 'post_content' => $content, 'post_status' => 'publish', 'post_type' => 'page', 'post_author' => $authors[0]['id'], 'comment_status' => 'closed'], true);
    if (is_wp_error($id)) {
        fwrite(STDERR, 'wp_insert_post (page): ' . $id->get_error_message() . "\n");
        exit(1);
    }
    if ($title === 'Privacy Policy') update_option('wp_page_for_privacy_policy', $id);
    $url = get_permalink($id);
    $truth['pages'][] = ['id' => $id, 'url' => $url, 'path' => wp_make_link_relative($url), 'title' => $title];
}

// The classic theme's menu lists the static pages, as most sites' navigation does.
$menuId = wp_create_nav_menu('Main');
if (!is_wp_error($menuId)) {
    foreach ($truth['pages'] as $page) {
        wp_update_nav_menu_item($menuId, 0, ['menu-item-object-id' => $page['id'], 'menu-item-object' => 'page', 'menu-item-type' => 'post_type', 'menu-item-status' => 'publish']);
    }
    set_theme_mod('nav_menu_locations', ['primary' => $menuId, 'footer' => $menuId]);
}

file_put_contents($truthPath, json_encode($truth, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
printf("filled: %d posts, %d pages, %d authors\n", count($truth['posts']), count($truth['pages']), count($authors));
