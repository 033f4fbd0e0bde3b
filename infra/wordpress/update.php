<?php
// php update.php <articles.jsonl> <posts> <ground-truth.json> <updates.json>
// News changes after publication, made through WordPress's own API on a filled site: two posts get a
// corrected title and a correction paragraph (wp_update_post), one is deleted (wp_delete_post), one is
// unpublished back to a draft, one is moved to the trash (wp_trash_post), one gets a new slug (its
// old URL redirects), and two new posts are published (the next stories of the dataset). Writes what it did, post by post, as JSON.
define('ABSPATH', getenv('WP_SITE_DIR') . '/');
$_SERVER['HTTP_HOST'] = '127.0.0.1:' . (getenv('WP_PORT') ?: '8091');
$_SERVER['REQUEST_URI'] = '/';
function wp_mail(...$args)
{
    return true;
}
require ABSPATH . 'wp-load.php';

[$self, $datasetPath, $count, $truthPath, $outPath] = $argv + [null, null, '60', null, null];
if (!$datasetPath || !$truthPath || !$outPath) {
    fwrite(STDERR, "usage: php update.php <articles.jsonl> <posts> <ground-truth.json> <updates.json>\n");
    exit(2);
}
$truth = json_decode(file_get_contents($truthPath), true);
$posts = $truth['posts'];
$n = count($posts);
$pick = fn($share) => $posts[(int) floor($n * $share)];
$paragraphs = fn($text) => array_values(array_filter(explode("\n\n", $text), fn($p) => trim($p) !== ''));
$blocks = fn(array $ps) => implode("\n\n", array_map(fn($p) => "<!-- wp:paragraph -->\n<p>" . esc_html($p) . "</p>\n<!-- /wp:paragraph -->", $ps));
$fail = function ($what, $result) {
    if (is_wp_error($result) || !$result) {
        fwrite(STDERR, "$what: " . (is_wp_error($result) ? $result->get_error_message() : 'failed') . "\n");
        exit(1);
    }
};
$out = ['edited' => [], 'deleted' => [], 'unpublished' => [], 'trashed' => [], 'moved' => [], 'added' => [], 'unchanged' => []];
$touched = [];

// Corrections: a new title and a correction paragraph in place of the first one. Posts carrying a
// Read More paragraph are left alone (their text is the dataset's).
foreach ([0.15, 0.45] as $share) {
    $p = $pick($share);
    if ($p['readMore']) $p = $posts[array_search($p, $posts, true) + 1];
    $ps = $paragraphs($p['text']);
    $ps[0] = 'Correction: an earlier version of this story gave the wrong figures in its first paragraph. '
        . 'Officials have since confirmed the details reported below, and this report has been updated.';
    $title = 'Updated: ' . $p['title'];
    $fail('wp_update_post', wp_update_post(['ID' => $p['id'], 'post_title' => $title, 'post_content' => $blocks($ps)], true));
    $post = get_post($p['id']);
    $out['edited'][] = ['id' => $p['id'], 'url' => $p['url'], 'title' => $post->post_title, 'text' => implode("\n\n", $ps),
        'oldTitle' => $p['title'], 'oldText' => $p['text'],
        'modified' => gmdate('Y-m-d\TH:i:s\Z', strtotime($post->post_modified_gmt . ' UTC'))];
    $touched[] = $p['id'];
}

// A post deleted for good: its URL answers 404.
$p = $pick(0.3);
$fail('wp_delete_post', wp_delete_post($p['id'], true));
$out['deleted'][] = ['id' => $p['id'], 'url' => $p['url'], 'title' => $p['title']];
$touched[] = $p['id'];

// A post taken back to a draft: no longer public.
$p = $pick(0.6);
$fail('wp_update_post (draft)', wp_update_post(['ID' => $p['id'], 'post_status' => 'draft'], true));
$out['unpublished'][] = ['id' => $p['id'], 'url' => $p['url'], 'title' => $p['title']];
$touched[] = $p['id'];

// A post moved to the trash (WordPress renames its slug to `<slug>__trashed`).
$p = $pick(0.75);
$fail('wp_trash_post', wp_trash_post($p['id']));
$out['trashed'][] = ['id' => $p['id'], 'url' => $p['url'], 'title' => $p['title']];
$touched[] = $p['id'];

// A post whose slug an editor changed: WordPress answers its old URL with a 301 to the new one.
$p = $pick(0.9);
$post = get_post($p['id']);
$fail('wp_update_post (slug)', wp_update_post(['ID' => $p['id'], 'post_name' => $post->post_name . '-revised'], true));
$out['moved'][] = ['id' => $p['id'], 'url' => $p['url'], 'to' => get_permalink($p['id']), 'title' => $p['title'], 'text' => $p['text']];
$touched[] = $p['id'];

// New posts: the next stories of the dataset (as fill.php chooses them), published now.
$articles = [];
foreach (file($datasetPath, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $line) {
    $a = json_decode($line, true);
    if (!$a) continue;
    $sentences = array_values(array_filter(array_map('trim', explode("\n", $a['body'])), fn($s) => $s !== ''));
    if ($sentences && preg_match('/^\w+ \d{1,2}, \d{4}$/', $sentences[0])) array_shift($sentences);
    if (str_word_count(implode(' ', $sentences)) < 80 || trim($a['title']) === '') continue;
    $a['sentences'] = $sentences;
    $articles[] = $a;
}
usort($articles, fn($x, $y) => strcmp(md5($x['id']), md5($y['id'])));
$authors = get_users(['role' => 'author', 'orderby' => 'ID']);
foreach (array_slice($articles, (int) $count, 2) as $k => $a) {
    $ps = [];
    for ($s = 0; $s < count($a['sentences']); $s += 2) $ps[] = implode(' ', array_slice($a['sentences'], $s, 2));
    $author = $authors[$k % count($authors)];
    $gmt = gmdate('Y-m-d H:i:s', time() - 3600 * (2 - $k));
    $id = wp_insert_post([
        'post_title' => $a['title'],
        'post_content' => $blocks($ps),
        'post_status' => 'publish',
        'post_type' => 'post',
        'post_author' => $author->ID,
        'post_date' => get_date_from_gmt($gmt),
        'post_date_gmt' => $gmt,
        'tags_input' => ['breaking'],
    ], true);
    $fail('wp_insert_post', $id);
    $post = get_post($id);
    $url = get_permalink($id);
    $out['added'][] = ['id' => $id, 'url' => $url, 'title' => $post->post_title, 'author' => $author->display_name,
        'date' => gmdate('Y-m-d\TH:i:s\Z', strtotime($post->post_date_gmt . ' UTC')), 'text' => implode("\n\n", $ps)];
}

foreach ($posts as $p) if (!in_array($p['id'], $touched, true)) $out['unchanged'][] = $p['url'];
file_put_contents($outPath, json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
printf("updated: %d edited, %d deleted, %d unpublished, %d trashed, %d moved, %d added\n", count($out['edited']), count($out['deleted']), count($out['unpublished']), count($out['trashed']), count($out['moved']), count($out['added']));
