<?php
// php theme.php <slug>: makes <slug> the active theme.
define('ABSPATH', getenv('WP_SITE_DIR') . '/');
$_SERVER['HTTP_HOST'] = '127.0.0.1:' . (getenv('WP_PORT') ?: '8091');
require ABSPATH . 'wp-load.php';
$slug = $argv[1] ?? '';
$theme = wp_get_theme($slug);
if (!$theme->exists()) {
    fwrite(STDERR, "theme $slug is not installed\n");
    exit(1);
}
switch_theme($slug);
echo "theme: " . get_stylesheet() . "\n";
