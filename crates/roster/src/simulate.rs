//! Policy simulation (what-if): a population under the law in force and under a reform.
