<?php
// refused: syntax (non-capturing catch)
try { f(); } catch (Exception) { }
