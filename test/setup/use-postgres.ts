process.env.TEST_DRIVER = 'postgres';
