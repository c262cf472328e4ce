//! Response bodies from the network: parsing never panics, and a parsed response
//! renders to a body that parses to the same code, message and item.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sectigo_revoke::ApiResponse;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(response) = ApiResponse::parse(&text) {
        let again = ApiResponse::parse(&response.to_body()).expect("a rendered response parses");
        assert_eq!(again.code(), response.code());
        assert_eq!(again.message(), response.message());
        assert_eq!(again.item(), response.item());
    }
});
