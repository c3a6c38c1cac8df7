<?php
// refused: str_contains()
$a = str_contains("abc", "b");
