<?php
/**
 * Plugin Name: HTTP validators
 * Description: Last-Modified and ETag on posts and pages, and 304 answers to conditional requests, as
 * page-caching plugins do (WordPress core sends validators on feeds only). The time is the post's own
 * modification time or its latest approved comment, whichever is later.
 */
add_action('template_redirect', function () {
    if (!is_singular() || is_user_logged_in() || post_password_required()) return;
    $post = get_queried_object();
    if (!$post instanceof WP_Post) return;
    $modified = strtotime($post->post_modified_gmt . ' UTC');
    $latest = get_comments(['post_id' => $post->ID, 'number' => 1, 'orderby' => 'comment_date_gmt', 'order' => 'DESC', 'status' => 'approve']);
    if ($latest) $modified = max($modified, strtotime($latest[0]->comment_date_gmt . ' UTC'));
    // The theme shapes the page too: a new theme is a new representation.
    $etag = '"' . md5($post->ID . '|' . $modified . '|' . $post->comment_count . '|' . get_stylesheet()) . '"';
    header('Last-Modified: ' . gmdate('D, d M Y H:i:s', $modified) . ' GMT');
    header('ETag: ' . $etag);
    // WordPress adds slashes to $_SERVER (wp_magic_quotes).
    $ifNoneMatch = isset($_SERVER['HTTP_IF_NONE_MATCH']) ? wp_unslash($_SERVER['HTTP_IF_NONE_MATCH']) : null;
    $ifModifiedSince = isset($_SERVER['HTTP_IF_MODIFIED_SINCE']) ? wp_unslash($_SERVER['HTTP_IF_MODIFIED_SINCE']) : null;
    $match = $ifNoneMatch !== null
        ? in_array($etag, array_map('trim', explode(',', $ifNoneMatch)), true)
        : ($ifModifiedSince !== null && strtotime($ifModifiedSince) >= $modified);
    if ($match) {
        status_header(304);
        exit;
    }
}, 0);
