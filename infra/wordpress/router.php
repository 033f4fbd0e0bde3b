<?php
// Router of PHP's built-in server: files that exist (styles, scripts, images) are served as they
// are; every other request goes to WordPress's front controller, as Apache's rewrite rules would.
$site = getenv('WP_SITE_DIR');
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?: '/';
$file = $site . $path;
if ($path !== '/' && is_file($file) && substr($path, -4) !== '.php') {
    return false;
}
define('ABSPATH', $site . '/');
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $site . '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
require $site . '/index.php';
