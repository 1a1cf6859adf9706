package com.zmanim.rehearsal.scenarios;

import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;

/**
 * One rehearsal case: runs in a world of its own and asserts on real state; returns a one-line
 * detail.
 */
interface Scenario {
  String name();

  String run(World world, Results results) throws Exception;
}
