# Bare-metal Arm Cortex-M4F (hard float) with the GNU Arm Embedded toolchain (arm-none-eabi-gcc).
#   cmake --preset cortex-m4      or      -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/arm-none-eabi.cmake
# Device code is built the way firmware is: no exceptions, no RTTI, one section per function and
# object so that the linker can drop what is unused.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
find_program(CMAKE_SIZE arm-none-eabi-size)

# There is no C library to link a test program against: try-compile static libraries instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(THERMO_CORTEX_M4_FLAGS
    "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${THERMO_CORTEX_M4_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${THERMO_CORTEX_M4_FLAGS} -fno-exceptions -fno-rtti")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=nosys.specs -Wl,--gc-sections")

# Programs run on the host; headers, libraries and packages come from the paths the user gives.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
