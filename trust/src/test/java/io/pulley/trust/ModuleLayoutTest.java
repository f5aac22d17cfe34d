package io.pulley.trust;

import io.pulley.testing.ModuleLayoutContract;

/** This module's main code keeps the layout rules: no package cycle, no file over 350 lines. */
class ModuleLayoutTest extends ModuleLayoutContract {}
